import { promisify } from "node:util";
import { deflateRaw } from "node:zlib";
import type { RpcClient } from "../rpc/client.js";
import { CHUNK_BYTES, CHUNKS_IN_FLIGHT } from "../protocol/index.js";
import { InFlight } from "./in-flight.js";
import type { UploadSource } from "./upload.js";

const deflate = promisify(deflateRaw);

/** A chunk goes compressed only when that saves at least this share: media and archives are sent as they are. */
const WORTH_COMPRESSING = 0.9;
/** After a chunk that did not compress, this many go raw before trying again (a file may change character). */
const RAW_RUN = 16;

/**
 * One large file, streamed in chunks through objects.write (several in flight),
 * each read from disk as it is sent: the CLI holds a few chunks, never the file, and
 * the agent writes each to disk as it comes. The reader checks the file's id before
 * it hands out the last chunk. Returns the bytes sent (compressed where it paid).
 */
export async function uploadLargeObject(rpc: RpcClient, source: UploadSource, id: string, sent: (rawBytes: number) => void): Promise<number> {
	const size = source.sizeOf(id);
	const inFlight = new InFlight(CHUNKS_IN_FLIGHT);
	let offset = 0;
	let wireBytes = 0;
	let rawLeft = 0;
	for await (const chunk of source.readChunks(id, CHUNK_BYTES)) {
		let data = chunk;
		let deflated = false;
		if (rawLeft > 0) rawLeft -= 1;
		else {
			// Level 1: most of what deflate saves, at a fraction of its time; a chunk is too short for more to matter.
			const compressed = await deflate(chunk, { level: 1 });
			if (compressed.length < chunk.length * WORTH_COMPRESSING) {
				data = compressed;
				deflated = true;
			} else rawLeft = RAW_RUN;
		}
		wireBytes += data.length;
		const raw = chunk.length;
		await inFlight.add(rpc.callWithBase64("objects.write", { id, size, offset, deflated }, "data", data.toString("base64")).then(() => sent(raw)));
		offset += raw;
	}
	await inFlight.drain();
	return wireBytes;
}
