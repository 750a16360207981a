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
 *
 * Beside the rows, notes: what the last snapshot concluded from the repository
 * (repository-memo.ts), each valid while its key is the same. A snapshot that finds
 * every row and note as they were does not write the cache again.
 */
export interface StatCache {
	lookup(path: string, stat: FileStat): string | null;
	remember(path: string, stat: FileStat, id: string): void;
	/** lookup, and when it finds the id, remember it: one pass over the row for a file the cache vouches for. */
	reuse(path: string, stat: FileStat): string | null;
	/** The value noted under `name` if it was noted with this `key` (and, given the stat of what the key describes, not racily); null otherwise. */
	recall(name: string, key: string, stat?: Pick<FileStat, "mtimeMs" | "ctimeMs">): string | null;
	note(name: string, key: string, value: string): void;
	save(): Promise<void>;
}

const RACY_MS = 2_000;
/** 2: columns instead of a row per file, which JSON parses four times faster for a tree of 50,000 files. */
const VERSION = 2;

/** [key, value] */
type Note = [string, string];

/** The file's columns: row i is paths[i] with sizes[i], ... and ids[40i, 40i + 40). One character per mode. */
interface Columns {
	paths: string;
	sizes: number[];
	mtimes: number[];
	ctimes: number[];
	inos: number[];
	modes: string;
	ids: string;
}

const MODE_CHARS: Record<ManifestEntry["mode"], string> = { "100644": "f", "100755": "x", "120000": "l" };
const MODES: Record<string, ManifestEntry["mode"]> = { f: "100644", x: "100755", l: "120000" };

/** The cache of the project at `root`, kept in `dir` (under the deploy home) by a hash of the path. */
export async function openStatCache(dir: string, root: string): Promise<StatCache> {
	const file = join(dir, `${createHash("sha256").update(root).digest("hex").slice(0, 32)}.json`);
	const previous = await readPrevious(file);
	const next = { paths: [] as string[], sizes: [] as number[], mtimes: [] as number[], ctimes: [] as number[], inos: [] as number[], modes: [] as string[], ids: [] as string[] };
	const notes = new Map<string, Note>();
	const recalled = new Set<string>();
	// Whether this snapshot found anything the cache does not say already: only then is it written again.
	let changed = false;
	const settled = (mtimeMs: number, ctimeMs: number) => previous.writtenAt - Math.max(mtimeMs, ctimeMs) >= RACY_MS;
	// Rows by path, built only when a path is not where the last snapshot had it: an unchanged tree is asked about in the same order.
	let rows: Map<string, number> | undefined;
	let expected = 0;
	const rowOf = (path: string) => {
		if (previous.paths[expected] === path) return expected++;
		rows ??= new Map(previous.paths.map((known, row) => [known, row]));
		const row = rows.get(path);
		if (row !== undefined) expected = row + 1;
		return row;
	};
	/** The previous row of `path` when it has exactly this stat. */
	const sameRow = (path: string, stat: FileStat) => {
		const row = rowOf(path);
		if (row === undefined) return undefined;
		const { columns } = previous;
		const same = columns.sizes[row] === stat.size && columns.mtimes[row] === stat.mtimeMs && columns.ctimes[row] === stat.ctimeMs && columns.inos[row] === stat.ino && MODES[columns.modes[row]!] === stat.mode;
		return same ? row : undefined;
	};
	const push = (path: string, stat: FileStat, id: string) => {
		next.paths.push(path);
		next.sizes.push(stat.size);
		next.mtimes.push(stat.mtimeMs);
		next.ctimes.push(stat.ctimeMs);
		next.inos.push(stat.ino);
		next.modes.push(MODE_CHARS[stat.mode]);
		next.ids.push(id);
	};
	const trusted = (path: string, stat: FileStat) => {
		const row = sameRow(path, stat);
		return row === undefined || !settled(stat.mtimeMs, stat.ctimeMs) ? null : previous.columns.ids.slice(row * 40, row * 40 + 40);
	};
	return {
		lookup: trusted,
		remember(path, stat, id) {
			const row = sameRow(path, stat);
			if (row === undefined || !settled(stat.mtimeMs, stat.ctimeMs) || previous.columns.ids.slice(row * 40, row * 40 + 40) !== id) changed = true;
			push(path, stat, id);
		},
		reuse(path, stat) {
			const id = trusted(path, stat);
			if (id !== null) push(path, stat, id);
			return id;
		},
		recall(name, key, stat) {
			const note = previous.notes.get(name);
			if (!note || note[0] !== key || (stat && !settled(stat.mtimeMs, stat.ctimeMs))) return null;
			recalled.add(name);
			return note[1];
		},
		note(name, key, value) {
			// A note found again but not trusted (racy) is written again, so the next snapshot can trust it.
			const note = previous.notes.get(name);
			if (!recalled.has(name) || !note || note[0] !== key || note[1] !== value) changed = true;
			notes.set(name, [key, value]);
		},
		async save() {
			// A file gone since the last snapshot changes the cache too.
			if (!changed && next.paths.length === previous.paths.length && notes.size === previous.notes.size) return;
			const columns: Columns = { ...next, paths: next.paths.join("\0"), modes: next.modes.join(""), ids: next.ids.join("") };
			const body = JSON.stringify({ version: VERSION, writtenAt: Date.now(), ...columns, notes: Object.fromEntries(notes) });
			await writeFileAtomic(file, body).catch(() => undefined);
		},
	};
}

interface Previous {
	writtenAt: number;
	columns: Columns;
	/** The path of each row. */
	paths: string[];
	notes: Map<string, Note>;
}

/** The last snapshot's cache; an empty one when it is missing, of another version, or not whole. */
async function readPrevious(file: string): Promise<Previous> {
	try {
		const parsed = JSON.parse(await readFile(file, "utf8")) as Stored;
		if (parsed.version !== VERSION || typeof parsed.writtenAt !== "number" || !wellFormed(parsed)) return empty();
		const paths = parsed.paths === "" ? [] : parsed.paths.split("\0");
		if ([parsed.sizes, parsed.mtimes, parsed.ctimes, parsed.inos].some((column) => column.length !== paths.length) || parsed.modes.length !== paths.length || parsed.ids.length !== paths.length * 40) return empty();
		const notes = Object.entries<Note>(typeof parsed.notes === "object" && parsed.notes !== null ? parsed.notes : {}).filter(([, note]) => Array.isArray(note) && typeof note[0] === "string" && typeof note[1] === "string");
		return { writtenAt: parsed.writtenAt, columns: parsed, paths, notes: new Map(notes) };
	} catch {
		return empty();
	}
}

type Stored = Partial<Columns> & { version?: number; writtenAt?: number; notes?: Record<string, Note> };

function wellFormed(parsed: Stored): parsed is Stored & Columns {
	const { paths, sizes, mtimes, ctimes, inos, modes, ids } = parsed;
	return typeof paths === "string" && typeof modes === "string" && typeof ids === "string" && /^[0-9a-f]*$/.test(ids) && /^[fxl]*$/.test(modes) && [sizes, mtimes, ctimes, inos].every(Array.isArray);
}

function empty(): Previous {
	return { writtenAt: 0, columns: { paths: "", sizes: [], mtimes: [], ctimes: [], inos: [], modes: "", ids: "" }, paths: [], notes: new Map() };
}
