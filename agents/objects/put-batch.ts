import { decodeObject } from "./blob-id.js";
import type { Lease } from "./leases.js";
import type { ObjectStore } from "./store.js";

/** Decoded bytes held before they are written, at most: the daemon's memory for a batch, whatever its objects. */
const PENDING_BYTES = 16 * 1024 * 1024;

/**
 * Stores an objects.put batch. Each object is decoded and checked against its id
 * (capped, blob-id.ts); the checked ones are written together (store.putMany: one
 * flush of the disk for all of them, not an fsync each), in groups of at most
 * PENDING_BYTES. A bad object stops the batch: the checked objects before it are
 * stored, it and those after it are not, and its error is thrown.
 */
export async function putBatch(store: ObjectStore, objects: readonly { id: string; data: string }[], maxObjectBytes: number, lease: Lease): Promise<void> {
	let checked: { id: string; content: Buffer }[] = [];
	let pendingBytes = 0;
	for (const { id, data } of objects) {
		let content: Buffer;
		try {
			content = decodeObject(id, data, maxObjectBytes);
		} catch (error) {
			await store.putMany(checked, lease);
			throw error;
		}
		checked.push({ id, content });
		pendingBytes += content.byteLength;
		if (pendingBytes < PENDING_BYTES) continue;
		await store.putMany(checked, lease);
		checked = [];
		pendingBytes = 0;
	}
	await store.putMany(checked, lease);
}
