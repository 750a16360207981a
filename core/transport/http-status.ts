import type { ErrorInfo } from "../protocol/index.js";

/**
 * The HTTP status of a failed non-stream call. The envelope's `code` is the real
 * answer; the status is a coarse class that mirrors the CLI's exit codes: a usage
 * error (the CLI's exit 2) is 400, a failed operation or a bug (exit 1) is 500.
 */
const USAGE_CODES = new Set([
	"BAD_ARGUMENT",
	"BAD_REQUEST",
	"CONFIG_INVALID",
	"SOURCE_NOT_FOUND",
	"CONFIG_EXISTS",
	"SERVER_UNKNOWN",
	"SERVER_REQUIRED",
	"SERVER_EXISTS",
	"NO_SERVERS",
	"APP_UNKNOWN",
	"ENV_UNKNOWN",
]);

export function httpStatusOf(error: ErrorInfo): number {
	if (error.code === "UNKNOWN_METHOD") return 404;
	if (error.code === "BODY_TOO_LARGE") return 413;
	return USAGE_CODES.has(error.code) ? 400 : 500;
}
