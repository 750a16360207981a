import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic } from "../protocol/atomic-write.js";
import type { ManifestEntry } from "../protocol/spec.js";

/** What lstat says of a file: when all of it is as it was, so is the content (git's index makes the same bet). */
export interface FileStat {
	size: number;
	mtimeMs: number;
	ctimeMs: number;
	ino: number;
	mode: ManifestEntry["mode"];
}

/**
 * Blob ids of the project's files from the last snapshot, by path, with the stat
 * they had: an unchanged tree is not read and hashed again. Like git, a file changed
 * within the clock's granularity of the snapshot that cached it ("racily clean")
 * could keep its stat, so an entry modified less than RACY_MS before the cache was
 * written is never trusted. A cache only: lost or unreadable, every file is hashed.
 */
export interface StatCache {
	lookup(path: string, stat: FileStat): string | null;
	remember(path: string, stat: FileStat, id: string): void;
	save(): Promise<void>;
}

const RACY_MS = 2_000;
const VERSION = 1;

/** [size, mtimeMs, ctimeMs, ino, mode, id]: compact, for a tree of 100,000 files. */
type Row = [number, number, number, number, ManifestEntry["mode"], string];

/** The cache of the project at `root`, kept in `dir` (under the deploy home) by a hash of the path. */
export async function openStatCache(dir: string, root: string): Promise<StatCache> {
	const file = join(dir, `${createHash("sha256").update(root).digest("hex").slice(0, 32)}.json`);
	const previous = await readRows(file);
	const next = new Map<string, Row>();
	return {
		lookup(path, stat) {
			const row = previous.rows.get(path);
			if (!row) return null;
			const [size, mtimeMs, ctimeMs, ino, mode, id] = row;
			if (size !== stat.size || mtimeMs !== stat.mtimeMs || ctimeMs !== stat.ctimeMs || ino !== stat.ino || mode !== stat.mode) return null;
			if (previous.writtenAt - Math.max(mtimeMs, ctimeMs) < RACY_MS) return null;
			return typeof id === "string" && /^[0-9a-f]{40}$/.test(id) ? id : null;
		},
		remember(path, stat, id) {
			next.set(path, [stat.size, stat.mtimeMs, stat.ctimeMs, stat.ino, stat.mode, id]);
		},
		async save() {
			const body = JSON.stringify({ version: VERSION, writtenAt: Date.now(), rows: Object.fromEntries(next) });
			await writeFileAtomic(file, body).catch(() => undefined);
		},
	};
}

async function readRows(file: string): Promise<{ writtenAt: number; rows: Map<string, Row> }> {
	try {
		const parsed = JSON.parse(await readFile(file, "utf8")) as { version?: number; writtenAt?: number; rows?: Record<string, Row> };
		if (parsed.version !== VERSION || typeof parsed.writtenAt !== "number" || typeof parsed.rows !== "object" || parsed.rows === null) return empty();
		return { writtenAt: parsed.writtenAt, rows: new Map(Object.entries(parsed.rows)) };
	} catch {
		return empty();
	}
}

function empty() {
	return { writtenAt: 0, rows: new Map<string, Row>() };
}
