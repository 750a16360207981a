import { createReadStream } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { type AppLogLine, parseAppLogLine } from "./app-log-line.js";

/** What `deploy logs --since --grep --instance` keeps; all of them must hold. */
export interface AppLogFilter {
	/** Epoch ms: lines written before are left out, and so are unstamped lines. */
	sinceMs?: number | undefined;
	/** Plain text, matched case-insensitively against the app's own text. */
	grep?: string | undefined;
	/** `web:41234`: only that instance's lines. */
	instance?: string | undefined;
}

export function isFiltered(filter: AppLogFilter): boolean {
	return filter.sinceMs !== undefined || filter.grep !== undefined || filter.instance !== undefined;
}

export function matcher(filter: AppLogFilter): (line: AppLogLine) => boolean {
	const needle = filter.grep?.toLowerCase();
	const wanted = filter.instance;
	// `*:41234`: an instance that is gone, known only by its port.
	const sameInstance = wanted?.startsWith("*:") ? (label: string | null) => label?.endsWith(wanted.slice(1)) === true : (label: string | null) => label === wanted;
	return (line) => {
		if (wanted !== undefined && !sameInstance(line.instance)) return false;
		if (filter.sinceMs !== undefined && (line.time === null || Date.parse(line.time) < filter.sinceMs)) return false;
		if (needle !== undefined && !line.text.toLowerCase().includes(needle)) return false;
		return true;
	};
}

/** app.log's rotated files, oldest first (app.log.3, .2, .1). */
export async function rotatedFiles(path: string): Promise<string[]> {
	const name = basename(path);
	const pattern = new RegExp(`^${name.replaceAll(".", "\\.")}\\.(\\d+)$`);
	const numbers = (await readdir(dirname(path)).catch(() => [] as string[])).flatMap((f) => {
		const match = pattern.exec(f);
		return match ? [Number(match[1])] : [];
	});
	return numbers.sort((a, b) => b - a).map((n) => join(dirname(path), `${name}.${n}`));
}

/**
 * The last `limit` matching lines across the rotated files and app.log, read as a
 * stream (memory stays at `limit` lines), and the size of app.log that was read, where
 * a follow goes on. A rotated file last written before `since` is skipped unread.
 */
export async function queryAppLog(path: string, filter: AppLogFilter, limit: number): Promise<{ lines: AppLogLine[]; size: number }> {
	const keep = matcher(filter);
	const found: AppLogLine[] = [];
	const push = (line: AppLogLine) => {
		if (!keep(line)) return;
		found.push(line);
		if (found.length > limit) found.shift();
	};
	for (const file of await rotatedFiles(path)) {
		const info = await stat(file).catch(() => null);
		if (!info || (filter.sinceMs !== undefined && info.mtimeMs < filter.sinceMs)) continue;
		await eachLine(file, info.size, push);
	}
	const size = await stat(path).then((s) => s.size, () => 0);
	await eachLine(path, size, push);
	return { lines: found, size };
}

async function eachLine(file: string, size: number, onLine: (line: AppLogLine) => void): Promise<void> {
	if (size === 0) return;
	const input = createReadStream(file, { start: 0, end: size - 1 });
	input.on("error", () => undefined);
	for await (const line of createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) onLine(parseAppLogLine(line));
}
