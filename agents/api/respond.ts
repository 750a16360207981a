// Issue 17: how the HTTPS API answers: JSON with no caching and no sniffing; no CORS
// headers at all (a browser on another origin gets nothing it may read).
import type { ServerResponse } from "node:http";
import type { ErrorInfo } from "../../core/protocol/errors.js";
import { httpStatusOf } from "./http-status.js";

const HEADERS = { "cache-control": "no-store", "x-content-type-options": "nosniff" };

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
	const text = `${JSON.stringify(body)}\n`;
	// RFC 6750: a 401 names the scheme the client should use.
	const challenge = status === 401 ? { "www-authenticate": 'Bearer realm="deploy"' } : {};
	response.writeHead(status, { ...HEADERS, ...challenge, "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(text) });
	response.end(text);
}

export function sendError(response: ServerResponse, error: ErrorInfo): void {
	if (response.headersSent) {
		response.end(`${JSON.stringify({ error })}\n`);
		return;
	}
	sendJson(response, httpStatusOf(error), { error });
}

/** An NDJSON answer, its headers written at the first line: an error before any event still gets its own status. */
export function ndjson(response: ServerResponse): { line(value: unknown): void; started(): boolean } {
	return {
		line(value) {
			if (!response.headersSent) response.writeHead(200, { ...HEADERS, "content-type": "application/x-ndjson; charset=utf-8" });
			response.write(`${JSON.stringify(value)}\n`);
		},
		started: () => response.headersSent,
	};
}
