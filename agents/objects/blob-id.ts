import { createHash } from "node:crypto";
import { inflateRawSync } from "node:zlib";
import { DeployError } from "../../core/protocol/index.js";

/** The git blob id of a content: sha1 of "blob <length>\0" + content. */
export function blobId(content: Uint8Array): string {
	return createHash("sha1").update(`blob ${content.byteLength}\0`).update(content).digest("hex");
}

/** Decodes an uploaded object (base64 of raw deflate) and proves it is the blob it claims to be. */
export function decodeObject(id: string, data: string): Buffer {
	let content: Buffer;
	try {
		content = inflateRawSync(Buffer.from(data, "base64"));
	} catch (error) {
		throw new DeployError("OBJECT_CORRUPT", `Object ${id} is not valid deflate data: ${(error as Error).message}`, "Run the deploy again; the upload was damaged.");
	}
	const actual = blobId(content);
	if (actual !== id) {
		throw new DeployError("OBJECT_CORRUPT", `Object ${id} does not match its content (it hashes to ${actual}).`, "Run the deploy again; the upload was damaged.");
	}
	return content;
}
