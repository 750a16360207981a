import { promisify } from "node:util";
import { deflateRaw } from "node:zlib";
import type { RpcClient } from "../rpc/client.js";
import { BATCH_BYTES, BATCH_OBJECTS, packObjects, UPLOADS_IN_FLIGHT } from "../protocol/index.js";
import { mapLimit } from "../source/blob.js";
import { InFlight } from "./in-flight.js";
import type { UploadSource } from "./upload.js";

const deflate = promisify(deflateRaw);

/** Files read at once: the disk stays busy while a batch is compressed and travels. */
const READ_CONCURRENCY = 16;
/** Files read per round: bounds what waits for a batch to have room. */
const READ_ROUND = 256;

/**
 * Small files in objects.put batches bounded by bytes and by count (core/protocol/
 * upload.ts), each batch's contents compressed as one deflate stream (a ~160-byte
 * file gains little alone; the batch's files share their words), several batches
 * in flight: a tree of many small files costs a few round trips, not one per batch.
 * Returns the compressed bytes sent.
 */
export async function uploadSmallObjects(rpc: RpcClient, source: UploadSource, ids: readonly string[], sent: (rawBytes: number) => void): Promise<number> {
	const inFlight = new InFlight(UPLOADS_IN_FLIGHT);
	let compressedBytes = 0;
	let objects: { id: string; size: number }[] = [];
	let contents: Buffer[] = [];
	let batchBytes = 0;
	const flush = async () => {
		if (objects.length === 0) return;
		const batch = { objects, contents, raw: batchBytes };
		objects = [];
		contents = [];
		batchBytes = 0;
		// Compressed off the main thread (zlib's pool) while the next files are read.
		const call = deflate(Buffer.concat(batch.contents, batch.raw)).then((compressed) => {
			compressedBytes += compressed.length;
			return rpc.call("objects.put", packObjects(batch.objects, compressed.toString("base64"))).then(() => sent(batch.raw));
		});
		await inFlight.add(call);
	};
	for (let start = 0; start < ids.length; start += READ_ROUND) {
		const round = await mapLimit(ids.slice(start, start + READ_ROUND), READ_CONCURRENCY, async (id) => ({ id, content: await source.readObject(id) }));
		for (const { id, content } of round) {
			objects.push({ id, size: content.length });
			contents.push(content);
			batchBytes += content.length;
			if (batchBytes >= BATCH_BYTES || objects.length >= BATCH_OBJECTS) await flush();
		}
	}
	await flush();
	await inFlight.drain();
	return compressedBytes;
}
