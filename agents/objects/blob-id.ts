import { createHash } from "node:crypto";
import { DeployError } from "../../core/protocol/index.js";
import { DEFAULT_MAX_OBJECT_BYTES } from "../tuning.js";
import { inflateUpload } from "./inflate.js";

/** The git blob id of a content: sha1 of "blob <length>\0" + content. */
export function blobId(content: Uint8Array): string {
	return createHash("sha1").update(`blob ${content.byteLength}\0`).update(content).digest("hex");
}

/** Decodes an uploaded object (base64 of raw deflate, at most `limit` bytes inflated) and proves it is the blob it claims to be. */
export function decodeObject(id: string, data: string, limit = DEFAULT_MAX_OBJECT_BYTES): Buffer {
	const content = inflateUpload(data, limit, `Object ${id}`);
	const actual = blobId(content);
	if (actual !== id) {
		throw new DeployError("OBJECT_CORRUPT", `Object ${id} does not match its content (it hashes to ${actual}).`, "Run the deploy again; the upload was damaged.");
	}
	return content;
}
