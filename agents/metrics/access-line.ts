/** One request as the proxy logged it. */
export interface AccessEntry {
	/** Host without port, lowercase. */
	host: string;
	status: number;
	durationMs: number;
	/** Response body bytes. */
	bytes: number;
	/** When it was logged, ms since the epoch. */
	atMs: number;
}

/**
 * Parses one JSON access log line of Caddy (`request.host`, `status`, `duration` in
 * seconds, `size`, `ts` in seconds) or Traefik (`RequestHost`, `DownstreamStatus`,
 * `Duration` in ns, `DownstreamContentSize`, `StartUTC`). Anything else is null: the
 * file may hold a torn line or another logger's output. Pure.
 */
export function parseAccessLine(line: string): AccessEntry | null {
	const request = parseAccessRequest(line);
	if (!request) return null;
	const { method: _method, uri: _uri, ...entry } = request;
	return entry;
}

/** One request with what `deploy logs` shows of it besides (issue 14): its method and URI (path and query). */
export interface AccessRequest extends AccessEntry {
	method: string;
	uri: string;
}

/** parseAccessLine's reading, with the request's method and URI. Pure. */
export function parseAccessRequest(line: string): AccessRequest | null {
	let value: Record<string, unknown>;
	try {
		value = JSON.parse(line) as Record<string, unknown>;
	} catch {
		return null;
	}
	if (!value || typeof value !== "object") return null;
	const request = value.request as Record<string, unknown> | undefined;
	if (request && typeof request.host === "string" && typeof value.status === "number") {
		return {
			host: stripPort(request.host),
			// Caddy logs 0 when the handler wrote no status: the client got 200.
			status: value.status || 200,
			durationMs: number(value.duration) * 1000,
			bytes: number(value.size),
			atMs: typeof value.ts === "number" ? value.ts * 1000 : Date.now(),
			method: text(request.method),
			uri: text(request.uri),
		};
	}
	if (typeof value.RequestHost === "string" && typeof value.DownstreamStatus === "number") {
		const started = typeof value.StartUTC === "string" ? Date.parse(value.StartUTC) : Number.NaN;
		return {
			host: stripPort(value.RequestHost),
			status: value.DownstreamStatus,
			durationMs: number(value.Duration) / 1e6,
			bytes: number(value.DownstreamContentSize),
			atMs: Number.isFinite(started) ? started : Date.now(),
			method: text(value.RequestMethod),
			uri: text(value.RequestPath),
		};
	}
	return null;
}

function text(value: unknown): string {
	return typeof value === "string" ? value : "";
}

function number(value: unknown): number {
	return typeof value === "number" && Number.isFinite(value) ? value : 0;
}

/** "app.example.com:8080" -> "app.example.com"; "[::1]:80" -> "::1". */
function stripPort(host: string): string {
	const lower = host.toLowerCase();
	if (lower.startsWith("[")) return lower.slice(1, lower.indexOf("]"));
	const colon = lower.lastIndexOf(":");
	return colon === -1 || lower.indexOf(":") !== colon ? lower : lower.slice(0, colon);
}
