import { promisify } from "node:util";
import { deflateRaw } from "node:zlib";
import type { RpcClient } from "../rpc/client.js";
import { CHUNK_BYTES, CHUNKS_IN_FLIGHT } from "../protocol/index.js";
import { InFlight } from "./in-flight.js";
import type { UploadSource } from "./upload.js";

const deflate = promisify(deflateRaw);

/** A chunk goes compressed only when that saves at least this share: media and archives are sent as they are. */
const WORTH_COMPRESSING = 0.9;
/**
 * After a chunk that did not compress, this many go raw before trying again (a file
 * may change character); each further failure doubles the run, up to RAW_RUN_MAX, so
 * 200 MB of random bytes pay for a handful of tries, not one every 16 chunks.
 */
const RAW_RUN = 16;
const RAW_RUN_MAX = 512;

/**
 * One large file, streamed in chunks through objects.write (several in flight), each
 * the call's raw binary part (core/protocol/frames.ts), read from disk as it is sent:
 * the CLI holds a few chunks, never the file, and the agent writes each to disk as it
 * comes. The reader checks the file's id before it hands out the last chunk. Returns
 * the bytes sent (compressed where it paid).
 */
export async function uploadLargeObject(rpc: RpcClient, source: UploadSource, id: string, sent: (rawBytes: number) => void): Promise<number> {
	const size = source.sizeOf(id);
	const inFlight = new InFlight(CHUNKS_IN_FLIGHT);
	const compressor = chunkCompressor();
	let offset = 0;
	let wireBytes = 0;
	for await (const chunk of source.readChunks(id, CHUNK_BYTES)) {
		const raw = chunk.length;
		// A buffer of its own: the reader reuses its buffer for the next chunk, and the
		// link may move this one to the SSH thread rather than copy it.
		const { bytes, deflated } = (await compressor.compress(chunk)) ?? { bytes: Buffer.from(chunk), deflated: false };
		wireBytes += bytes.length;
		await inFlight.add(rpc.callWithBytes("objects.write", { id, size, offset, deflated }, bytes).then(() => sent(raw)));
		offset += raw;
	}
	await inFlight.drain();
	return wireBytes;
}

/** Deflates the chunks that are worth it; null for a chunk to send as it is. */
function chunkCompressor() {
	let rawLeft = 0;
	let rawRun = RAW_RUN;
	return {
		async compress(chunk: Buffer): Promise<{ bytes: Buffer; deflated: true } | null> {
			if (rawLeft > 0) {
				rawLeft -= 1;
				return null;
			}
			// Level 1: most of what deflate saves, at a fraction of its time; a chunk is too short for more to matter.
			const compressed = await deflate(chunk, { level: 1 });
			if (compressed.length < chunk.length * WORTH_COMPRESSING) {
				rawRun = RAW_RUN;
				return { bytes: compressed, deflated: true };
			}
			rawLeft = rawRun;
			rawRun = Math.min(rawRun * 2, RAW_RUN_MAX);
			return null;
		},
	};
}
