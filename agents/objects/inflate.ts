import { inflateRawSync } from "node:zlib";
import { DeployError } from "../../core/protocol/index.js";

/**
 * Inflates an uploaded file (base64 of raw deflate) to at most `limit` bytes. zlib
 * stops as soon as its output passes the limit, so a few hundred kilobytes that
 * would inflate to gigabytes (a compression bomb) cost the daemon `limit` bytes of
 * memory at most, and are refused.
 */
export function inflateUpload(data: string, limit: number, what: string, dictionary?: Buffer): Buffer {
	try {
		return inflateRawSync(Buffer.from(data, "base64"), { maxOutputLength: limit, ...(dictionary ? { dictionary } : {}) });
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE") throw tooLarge(what, limit);
		throw new DeployError("OBJECT_CORRUPT", `${what} is not valid deflate data: ${(error as Error).message}`, "Run the deploy again; the upload was damaged.");
	}
}

function tooLarge(what: string, limit: number): DeployError {
	return new DeployError(
		"OBJECT_TOO_LARGE",
		`${what} is larger than ${size(limit)} once inflated, the largest file this server accepts (DEPLOY_AGENT_MAX_OBJECT_MB); it was not stored.`,
		"Keep files this large out of the deploy (.gitignore) and fetch them at run time, or raise DEPLOY_AGENT_MAX_OBJECT_MB in the agent's environment.",
	);
}

function size(bytes: number): string {
	return bytes >= 1024 * 1024 ? `${+(bytes / 1024 / 1024).toFixed(1)} MiB` : `${+(bytes / 1024).toFixed(1)} KiB`;
}
