import { inflateRawSync } from "node:zlib";
import { DeployError, PUT_OBJECT_MAX_BYTES } from "../../core/protocol/index.js";
import { blobId } from "./blob-id.js";
import { tooLarge, tooLargeWhole } from "./inflate.js";
import type { Lease } from "./leases.js";
import type { ObjectStore } from "./store.js";

/** An objects.put batch: the objects' ids and sizes, and their contents one after another as one raw deflate stream, in base64. */
export interface PutBatch {
	objects: readonly { id: string; size: number }[];
	data: string;
}

/**
 * Stores an objects.put batch. The sizes are checked first (each within the server's
 * limit, all of them within PUT_OBJECT_MAX_BYTES); the stream is inflated to at most
 * their sum, so a compression bomb costs one buffer of that size; each object is then
 * checked against its id, and the checked ones are written together (store.putMany:
 * one flush of the disk for all of them, not an fsync each). An object that does not
 * match its id stops the batch: the objects before it are stored, it and those after
 * it are not, and its error is thrown.
 */
export async function putBatch(store: ObjectStore, batch: PutBatch, maxObjectBytes: number, lease: Lease): Promise<void> {
	const total = checkSizes(batch.objects, maxObjectBytes);
	const contents = inflateBatch(batch, total);
	const checked: { id: string; content: Buffer }[] = [];
	let offset = 0;
	let mismatch: DeployError | null = null;
	for (const { id, size } of batch.objects) {
		const content = contents.subarray(offset, offset + size);
		offset += size;
		const actual = blobId(content);
		if (actual !== id) {
			mismatch = corrupt(`Object ${id} does not match its content (it hashes to ${actual}).`);
			break;
		}
		checked.push({ id, content });
	}
	await store.putMany(checked, lease);
	if (mismatch) throw mismatch;
}

/** The sum of the sizes, once each is within the limits. */
function checkSizes(objects: PutBatch["objects"], maxObjectBytes: number): number {
	let total = 0;
	for (const { id, size } of objects) {
		// As inflateUpload words it: past the server's limit, or past what a file sent whole may be (it travels in chunks).
		if (size > maxObjectBytes && maxObjectBytes <= PUT_OBJECT_MAX_BYTES) throw tooLarge(`Object ${id}`, maxObjectBytes);
		if (size > PUT_OBJECT_MAX_BYTES) throw tooLargeWhole(`Object ${id}`, PUT_OBJECT_MAX_BYTES);
		total += size;
	}
	if (total > PUT_OBJECT_MAX_BYTES) {
		throw new DeployError(
			"OBJECT_TOO_LARGE",
			`An objects.put batch of ${files(objects.length)} is ${total} bytes once inflated, more than the ${PUT_OBJECT_MAX_BYTES} a batch may be; nothing of it was stored.`,
			"Run the deploy with the current client, which keeps its batches below that.",
		);
	}
	return total;
}

/** The batch's contents, exactly `total` bytes: zlib stops past that, so a stream that would inflate further costs no more. */
function inflateBatch(batch: PutBatch, total: number): Buffer {
	let contents: Buffer;
	try {
		// maxOutputLength must be at least 1: a batch of empty files inflates to nothing.
		contents = inflateRawSync(Buffer.from(batch.data, "base64"), { maxOutputLength: Math.max(1, total) });
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE") throw corrupt(`An objects.put batch inflates past the ${total} bytes its ${files(batch.objects.length)} declare.`);
		throw corrupt(`An objects.put batch is not valid deflate data: ${(error as Error).message}`);
	}
	if (contents.length !== total) throw corrupt(`An objects.put batch inflates to ${contents.length} bytes where its ${files(batch.objects.length)} declare ${total}.`);
	return contents;
}

function corrupt(message: string): DeployError {
	return new DeployError("OBJECT_CORRUPT", message, "Run the deploy again; the upload was damaged.");
}

function files(count: number): string {
	return count === 1 ? "1 file" : `${count} files`;
}
