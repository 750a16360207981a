import { inflateRawSync } from "node:zlib";
import { DeployError, PUT_OBJECT_MAX_BYTES } from "../../core/protocol/index.js";
import { formatSize } from "../../core/protocol/size.js";

/**
 * Inflates a file sent whole (base64 of raw deflate: objects.put, a redeploy's inline
 * change) to at most `limit` bytes (the server's DEPLOY_AGENT_MAX_OBJECT_MB), and never
 * past PUT_OBJECT_MAX_BYTES: a larger file travels in chunks (objects.write), so a
 * whole one costs the daemon a few MiB at most. zlib stops as soon as its output
 * passes the cap, so a few hundred kilobytes that would inflate to gigabytes (a
 * compression bomb) are refused at that cost.
 */
export function inflateUpload(data: string, limit: number, what: string, dictionary?: Buffer): Buffer {
	const cap = Math.min(limit, PUT_OBJECT_MAX_BYTES);
	try {
		return inflateRawSync(Buffer.from(data, "base64"), { maxOutputLength: cap, ...(dictionary ? { dictionary } : {}) });
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE") throw cap < limit ? tooLargeWhole(what, cap) : tooLarge(what, limit);
		throw new DeployError("OBJECT_CORRUPT", `${what} is not valid deflate data: ${(error as Error).message}`, "Run the deploy again; the upload was damaged.");
	}
}

export function tooLargeWhole(what: string, cap: number): DeployError {
	return new DeployError(
		"OBJECT_TOO_LARGE",
		`${what} is larger than ${formatSize(cap)} once inflated, the most a file sent whole may be; it was not stored.`,
		"Larger files travel in chunks (objects.write): run the deploy with the current client, which does that.",
	);
}

export function tooLarge(what: string, limit: number): DeployError {
	return new DeployError(
		"OBJECT_TOO_LARGE",
		`${what} is larger than ${formatSize(limit)} once inflated, the largest file this server accepts (DEPLOY_AGENT_MAX_OBJECT_MB); it was not stored.`,
		"Keep files this large out of the deploy (list them in .deployignore, or .gitignore) and fetch them at run time, or raise DEPLOY_AGENT_MAX_OBJECT_MB in the agent's environment.",
	);
}
