import { decodeObject } from "./blob-id.js";
import type { Lease } from "./leases.js";
import type { ObjectStore } from "./store.js";

/** Objects written at once: their fsyncs share the file system's journal commits (5,000 small files, one fsync after another, took 20 s). */
const WRITES_IN_FLIGHT = 32;
/** Decoded bytes waiting to be written, at most: the daemon's memory for a batch, whatever its objects. */
const PENDING_BYTES = 16 * 1024 * 1024;

/**
 * Stores an objects.put batch. Each object is decoded and checked against its id
 * one at a time (capped, blob-id.ts), then written while the next is decoded. A bad
 * object stops the batch: the writes already started finish (those objects are
 * valid and stored), then its error is thrown.
 */
export async function putBatch(store: ObjectStore, objects: readonly { id: string; data: string }[], maxObjectBytes: number, lease: Lease): Promise<void> {
	const writing = new Set<Promise<void>>();
	let pendingBytes = 0;
	let failure: { error: unknown } | null = null;
	try {
		for (const { id, data } of objects) {
			if (failure) break;
			const content = decodeObject(id, data, maxObjectBytes);
			pendingBytes += content.byteLength;
			const write: Promise<void> = store
				.put(id, content, lease)
				.catch((error: unknown) => {
					failure ??= { error };
				})
				.finally(() => {
					pendingBytes -= content.byteLength;
					writing.delete(write);
				});
			writing.add(write);
			while (writing.size >= WRITES_IN_FLIGHT || (pendingBytes > PENDING_BYTES && writing.size > 0)) await Promise.race(writing);
		}
	} finally {
		await Promise.all(writing);
	}
	if (failure) throw (failure as { error: unknown }).error;
}
