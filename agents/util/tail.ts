import { open, stat } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { lineSplitter } from "./lines.js";

const CHUNK = 64 * 1024;

/** The last `count` lines of a file, read backwards so a large log costs what is shown. */
export async function lastLines(path: string, count: number): Promise<{ lines: string[]; size: number }> {
	let handle: Awaited<ReturnType<typeof open>>;
	try {
		handle = await open(path, "r");
	} catch {
		return { lines: [], size: 0 };
	}
	try {
		const { size } = await handle.stat();
		if (count === 0) return { lines: [], size };
		let position = size;
		// Bytes, decoded once at the end: a 64 KB boundary can fall inside a multi-byte character.
		const chunks: Buffer[] = [];
		let newlines = 0;
		while (position > 0 && newlines <= count) {
			const length = Math.min(CHUNK, position);
			position -= length;
			const buffer = Buffer.alloc(length);
			await handle.read(buffer, 0, length, position);
			chunks.unshift(buffer);
			for (let at = buffer.indexOf(10); at !== -1; at = buffer.indexOf(10, at + 1)) newlines++;
		}
		// The first line may start inside a character; it is cut off below unless it starts the file.
		const lines = Buffer.concat(chunks).toString("utf8").split("\n");
		if (lines.at(-1) === "") lines.pop();
		return { lines: lines.slice(-count), size };
	} finally {
		await handle.close();
	}
}

/**
 * Calls `onLine` for each line appended to the file after `from`, until the signal
 * fires. Polls: it works the same on every file system, and a log is not latency-critical.
 */
export async function followLines(path: string, from: number, signal: AbortSignal, onLine: (line: string) => void): Promise<void> {
	let position = from;
	const splitter = lineSplitter(onLine);
	while (!signal.aborted) {
		const size = await stat(path).then((s) => s.size, () => 0);
		if (size < position) position = 0; // truncated or replaced: start over
		if (size > position) {
			const handle = await open(path, "r");
			try {
				const buffer = Buffer.alloc(Math.min(size - position, 4 * 1024 * 1024));
				const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
				position += bytesRead;
				splitter.push(buffer.subarray(0, bytesRead));
			} finally {
				await handle.close();
			}
			continue;
		}
		await sleep(250, undefined, { signal }).catch(() => undefined);
	}
}
