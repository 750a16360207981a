import { promisify } from "node:util";
import { deflateRaw } from "node:zlib";
import type { RpcClient } from "../rpc/client.js";
import { BATCH_BYTES, BATCH_OBJECTS, UPLOADS_IN_FLIGHT } from "../protocol/index.js";
import { mapLimit } from "../source/blob.js";
import { InFlight } from "./in-flight.js";
import type { UploadSource } from "./upload.js";

const deflate = promisify(deflateRaw);

/** Files read and compressed at once: the disk and zlib's thread pool stay busy while a batch travels. */
const READ_CONCURRENCY = 16;
/** Files read per round: bounds what waits for a batch to have room. */
const READ_ROUND = 256;

/**
 * Small files, compressed, in objects.put batches bounded by bytes and by count
 * (core/protocol/upload.ts), several batches in flight: a tree of many small files
 * costs a few round trips, not one per batch. Returns the compressed bytes sent.
 */
export async function uploadSmallObjects(rpc: RpcClient, source: UploadSource, ids: readonly string[], sent: (rawBytes: number) => void): Promise<number> {
	const inFlight = new InFlight(UPLOADS_IN_FLIGHT);
	let compressedBytes = 0;
	let batch: { id: string; data: string }[] = [];
	let batchBytes = 0;
	const flush = async () => {
		if (batch.length === 0) return;
		const objects = batch;
		const raw = batchBytes;
		batch = [];
		batchBytes = 0;
		await inFlight.add(rpc.call("objects.put", { objects }).then(() => sent(raw)));
	};
	for (let start = 0; start < ids.length; start += READ_ROUND) {
		const round = await mapLimit(ids.slice(start, start + READ_ROUND), READ_CONCURRENCY, async (id) => {
			const content = await source.readObject(id);
			return { id, raw: content.length, compressed: await deflate(content) };
		});
		for (const { id, raw, compressed } of round) {
			compressedBytes += compressed.length;
			batch.push({ id, data: compressed.toString("base64") });
			batchBytes += raw;
			if (batchBytes >= BATCH_BYTES || batch.length >= BATCH_OBJECTS) await flush();
		}
	}
	await flush();
	await inFlight.drain();
	return compressedBytes;
}
