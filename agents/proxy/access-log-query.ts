import { createReadStream } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { basename, dirname, extname, join } from "node:path";
import { createInterface } from "node:readline";
import { parseAccessRequest } from "../metrics/access-line.js";
import type { AppLogLine } from "../processes/app-log-line.js";
import { type AppLogFilter, matcher } from "../processes/app-log-query.js";
import { followLines } from "../util/tail.js";

// Issue 14, item 9: a static site the proxy serves has no output of its own; what
// happens to it is in the proxy's JSON access log (proxy/access.log, the file the
// metrics count). `deploy logs` shows its requests there as app log lines.

/**
 * One access log line as a line of the app's log, when it is a request to one of
 * `hosts`: `GET /about 200 0.4 ms`, stamped with the request's time and `proxy` (the
 * proxy's kind) where an app line has its instance. Pure.
 */
export function accessLogLine(raw: string, hosts: ReadonlySet<string>, proxy: string): AppLogLine | null {
	const request = parseAccessRequest(raw);
	if (!request || !hosts.has(request.host)) return null;
	const duration = request.durationMs < 10 ? request.durationMs.toFixed(1) : String(Math.round(request.durationMs));
	return { time: new Date(request.atMs).toISOString(), instance: proxy, text: `${request.method || "-"} ${request.uri || "-"} ${request.status} ${duration} ms` };
}

/** Caddy's rolled access logs (`access-<time>.log`, oldest first by their time), then the live one. */
async function accessLogFiles(path: string): Promise<string[]> {
	const ext = extname(path);
	const prefix = `${basename(path, ext)}-`;
	const rolled = (await readdir(dirname(path)).catch(() => [] as string[])).filter((name) => name.startsWith(prefix) && name.endsWith(ext)).sort();
	return [...rolled.map((name) => join(dirname(path), name)), path];
}

/**
 * The last `limit` requests to `hosts` that pass `filter`, as app log lines, and the
 * size of the live access log read (where a follow goes on). Read as a stream: memory
 * stays at `limit` lines whatever the file's size (Caddy rolls it at 20 MB).
 */
export async function queryAccessLog(path: string, hosts: ReadonlySet<string>, proxy: string, filter: AppLogFilter, limit: number): Promise<{ lines: AppLogLine[]; size: number }> {
	const keep = matcher(filter);
	const found: AppLogLine[] = [];
	let size = 0;
	for (const file of await accessLogFiles(path)) {
		const info = await stat(file).catch(() => null);
		if (!info || info.size === 0) continue;
		if (file === path) size = info.size;
		else if (filter.sinceMs !== undefined && info.mtimeMs < filter.sinceMs) continue;
		const input = createReadStream(file, { start: 0, end: info.size - 1 });
		input.on("error", () => undefined);
		for await (const raw of createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) {
			const line = accessLogLine(raw, hosts, proxy);
			if (!line || !keep(line)) continue;
			found.push(line);
			if (found.length > limit) found.shift();
		}
	}
	return { lines: found, size };
}

/** Calls `onLine` for each request to `hosts` logged after `from` that passes `filter`, until the signal fires. */
export function followAccessLog(path: string, from: number, hosts: ReadonlySet<string>, proxy: string, filter: AppLogFilter, signal: AbortSignal, onLine: (line: AppLogLine) => void): Promise<void> {
	const keep = matcher(filter);
	return followLines(path, from, signal, (raw) => {
		const line = accessLogLine(raw, hosts, proxy);
		if (line && keep(line)) onLine(line);
	});
}

/** Two lists of lines, each oldest first, as one oldest first (unstamped lines of older agents count as oldest). Pure. */
export function mergeByTime(a: readonly AppLogLine[], b: readonly AppLogLine[]): AppLogLine[] {
	const merged: AppLogLine[] = [];
	let i = 0;
	let j = 0;
	while (i < a.length || j < b.length) {
		const left = a[i];
		const right = b[j];
		if (right === undefined || (left !== undefined && (left.time ?? "") <= (right.time ?? ""))) {
			merged.push(left!);
			i++;
		} else {
			merged.push(right);
			j++;
		}
	}
	return merged;
}
