// Issue 17: a request's JSON body, bounded: past the limit nothing more is read (413),
// and a body that is not JSON is 400. Nothing has run by then.
import type { IncomingMessage } from "node:http";
import { DeployError } from "../../core/protocol/errors.js";
import { CHUNK_BYTES } from "../../core/protocol/upload.js";

/** An objects.put batch (8 MiB of files at most, deflated, in base64) fits; a request can cost the agent no more. */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;

export async function readJsonBody(request: IncomingMessage, limit = MAX_BODY_BYTES): Promise<unknown> {
	const type = request.headers["content-type"];
	if (type !== undefined && !/^application\/json\b/i.test(type)) {
		throw new DeployError("UNSUPPORTED_MEDIA_TYPE", `The body is ${type}; the API reads JSON.`, "Send `Content-Type: application/json` with a JSON object of the method's params.");
	}
	const text = (await readBoundedBody(request, limit, tooLarge(limit))).toString("utf8");
	if (text.trim() === "") return {};
	try {
		return JSON.parse(text);
	} catch {
		throw new DeployError("BAD_JSON", "The body is not valid JSON.", "Send a JSON object of the method's params, e.g. {\"app\": \"shop\"}.");
	}
}

/**
 * Issue 17, item 5: a large file's chunk (objects.write), `application/octet-stream`, at
 * most CHUNK_BYTES (raw, or deflated when that was smaller): the pieces as they came,
 * never joined, as over SSH.
 */
export async function readChunkBody(request: IncomingMessage): Promise<Buffer[]> {
	const type = request.headers["content-type"];
	if (type === undefined || !/^application\/octet-stream\b/i.test(type)) {
		throw new DeployError("UNSUPPORTED_MEDIA_TYPE", `The body is ${type ?? "of no type"}; a chunk is read as bytes.`, "Send the chunk with `Content-Type: application/octet-stream` and its params in the query (?id=…&size=…&offset=…&deflated=…).");
	}
	const chunkTooLarge = new DeployError("BODY_TOO_LARGE", `A chunk is at most ${CHUNK_BYTES / 1024} KiB.`, "Split the file in chunks of that size (the CLI does).");
	return readBoundedPieces(request, CHUNK_BYTES, chunkTooLarge);
}

/** The raw body, read no further than `limit` bytes: past it (declared or sent) `tooLarge` is thrown and the rest is never read. */
export async function readBoundedBody(request: IncomingMessage, limit: number, tooLarge: DeployError): Promise<Buffer> {
	return Buffer.concat(await readBoundedPieces(request, limit, tooLarge));
}

async function readBoundedPieces(request: IncomingMessage, limit: number, tooLarge: DeployError): Promise<Buffer[]> {
	if (Number(request.headers["content-length"]) > limit) throw tooLarge;
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of request as AsyncIterable<Buffer>) {
		size += chunk.length;
		if (size > limit) throw tooLarge;
		chunks.push(chunk);
	}
	return chunks;
}

function tooLarge(limit: number): DeployError {
	return new DeployError("BODY_TOO_LARGE", `The body is over ${limit / 1024 / 1024} MiB.`, "Send fewer files per objects.put call.");
}
