import { createHash } from "node:crypto";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import type { ManifestEntry } from "../protocol/spec.js";
import { comparePaths } from "./path-order.js";
import { type Note, readStatCacheFile, type StatCacheContents, writeStatCacheFile } from "./stat-cache-file.js";

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
	/** The previous row of `path` as it was written (its id and mode), whatever the file's stat now; undefined when there is none. */
	peek(path: string): { id: string; mode: ManifestEntry["mode"] } | undefined;
	/**
	 * The previous row of `path` reused without a look at the file: for a file git vouches
	 * is still the content the row names (index-vouch.ts). Undefined, and nothing
	 * changed, when there is no such row.
	 */
	keep(path: string): { id: string; mode: ManifestEntry["mode"]; size: number } | undefined;
	/**
	 * Every previous row reused as it is, in order, before any other question: for a tree
	 * git vouches for whole (snapshot.ts, rowsTakenWhole). Their entries, built when first asked for.
	 */
	keepAll(): KeptRows;
	/** True while every row was reused, in the order the last snapshot wrote them, and nothing else remembered: the same files as then. */
	sameRows(): boolean;
	/** The value noted under `name` if it was noted with this `key` (and, given the stat of what the key describes, not racily); null otherwise. */
	recall(name: string, key: string, stat?: Pick<FileStat, "mtimeMs" | "ctimeMs">): string | null;
	note(name: string, key: string, value: string): void;
	save(): Promise<void>;
}

/** The previous rows, taken whole (StatCache.keepAll). */
export interface KeptRows {
	count: number;
	has(path: string): boolean;
	/** Built when first asked for: a no-change redeploy may never ask. */
	entries(): { path: string; id: string; mode: ManifestEntry["mode"]; size: number }[];
}

const RACY_MS = 2_000;

/** The columns as the snapshot fills them, a value per row in each. */
interface Rows {
	paths: string[];
	sizes: number[];
	mtimes: number[];
	ctimes: number[];
	inos: number[];
	modes: string[];
	ids: string[];
}

const MODE_CHARS: Record<ManifestEntry["mode"], string> = { "100644": "f", "100755": "x", "120000": "l" };
const MODES: Record<string, ManifestEntry["mode"]> = { f: "100644", x: "100755", l: "120000" };

/** The cache of the project at `root`, kept in `dir` (under the deploy home) by a hash of the path. */
export async function openStatCache(dir: string, root: string): Promise<StatCache> {
	const name = createHash("sha256").update(root).digest("hex").slice(0, 32);
	// Version 3's file; version 2's (JSON) is removed when this one is written.
	const file = join(dir, `${name}.stat`);
	const previous = (await readStatCacheFile(file)) ?? EMPTY;
	const next: Rows = { paths: [], sizes: [], mtimes: [], ctimes: [], inos: [], modes: [], ids: [] };
	const notes = new Map<string, Note>();
	const recalled = new Set<string>();
	// Whether this snapshot found anything the cache does not say already: only then is it written again.
	let changed = false;
	const settled = (mtimeMs: number, ctimeMs: number) => previous.writtenAt - Math.max(mtimeMs, ctimeMs) >= RACY_MS;
	// Rows by path, built only when a path is not where the last snapshot had it: an unchanged tree is asked about in the same order.
	let rows: Map<string, number> | undefined;
	const rowsByPath = () => {
		rows ??= new Map(previous.columns.paths.map((known, row) => [known, row]));
		return rows;
	};
	let expected = 0;
	const rowOf = (path: string) => {
		if (previous.columns.paths[expected] === path) return expected++;
		const row = rowsByPath().get(path);
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
	// The rows reused from the first in the previous order are not copied into `next` until
	// something else happens (a redeploy of an unchanged tree copies nothing): `reusedInOrder`
	// counts them while `copied` is false.
	let reusedInOrder = 0;
	let copied = false;
	const idOf = (row: number) => previous.columns.ids.slice(row * 40, row * 40 + 40);
	/** A previous row into `next` as it was. */
	const pushRow = (row: number) => {
		const { columns } = previous;
		next.paths.push(columns.paths[row]!);
		next.sizes.push(columns.sizes[row]!);
		next.mtimes.push(columns.mtimes[row]!);
		next.ctimes.push(columns.ctimes[row]!);
		next.inos.push(columns.inos[row]!);
		next.modes.push(columns.modes[row]!);
		next.ids.push(idOf(row));
	};
	const copyReused = () => {
		if (copied) return;
		copied = true;
		for (let row = 0; row < reusedInOrder; row++) pushRow(row);
	};
	/** Counts `row` as reused: in order, nothing is copied yet (see copyReused). */
	const reuseRow = (row: number) => {
		if (!copied && row === reusedInOrder) {
			reusedInOrder++;
			return;
		}
		copyReused();
		pushRow(row);
	};
	/** The row vouched for: same stat, not racy. */
	const trustedRow = (path: string, stat: FileStat) => {
		const row = sameRow(path, stat);
		return row === undefined || !settled(stat.mtimeMs, stat.ctimeMs) ? undefined : row;
	};
	return {
		lookup(path, stat) {
			const row = trustedRow(path, stat);
			return row === undefined ? null : idOf(row);
		},
		remember(path, stat, id) {
			copyReused();
			const row = sameRow(path, stat);
			if (row === undefined || !settled(stat.mtimeMs, stat.ctimeMs) || idOf(row) !== id) changed = true;
			push(path, stat, id);
		},
		reuse(path, stat) {
			const row = trustedRow(path, stat);
			if (row === undefined) return null;
			reuseRow(row);
			return idOf(row);
		},
		peek(path) {
			const row = rowsByPath().get(path);
			return row === undefined ? undefined : { id: idOf(row), mode: MODES[previous.columns.modes[row]!]! };
		},
		keep(path) {
			const row = rowOf(path);
			if (row === undefined) return undefined;
			reuseRow(row);
			return { id: idOf(row), mode: MODES[previous.columns.modes[row]!]!, size: previous.columns.sizes[row]! };
		},
		keepAll() {
			if (copied || reusedInOrder !== 0) throw new Error("keepAll() comes before any other row is reused");
			const { columns } = previous;
			reusedInOrder = columns.rows;
			return {
				count: columns.rows,
				has: (path) => columns.hasPath(path),
				entries: () => columns.paths.map((path, row) => ({ path, id: idOf(row), mode: MODES[columns.modes[row]!]!, size: columns.sizes[row]! })),
			};
		},
		sameRows: () => !copied && reusedInOrder === previous.columns.rows,
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
			const rows = copied ? next.paths.length : reusedInOrder;
			if (!changed && rows === previous.columns.rows && notes.size === previous.notes.size) return;
			copyReused();
			await writeStatCacheFile(file, { writtenAt: Date.now(), columns: inPathOrder(next), notes }).catch(() => undefined);
			await rm(join(dir, `${name}.json`), { force: true }).catch(() => undefined);
		},
	};
}

/**
 * The rows sorted by path, as the snapshot asks about them (snapshot.ts sorts its paths
 * the same way): files read in the order their reads finished would otherwise be out of
 * order for every later snapshot, each then looked up by a map.
 */
function inPathOrder(next: Rows): StatCacheContents["columns"] {
	const { paths } = next;
	const order = paths.map((_, row) => row).sort((a, b) => comparePaths(paths[a]!, paths[b]!));
	const pick = <T>(column: T[]) => order.map((row) => column[row]!);
	const sorted = pick(paths);
	return {
		paths: sorted,
		rows: paths.length,
		hasPath: (path) => sorted.includes(path),
		sizes: pick(next.sizes),
		mtimes: pick(next.mtimes),
		ctimes: pick(next.ctimes),
		inos: pick(next.inos),
		modes: pick(next.modes).join(""),
		ids: pick(next.ids).join(""),
	};
}

const EMPTY: StatCacheContents = { writtenAt: 0, columns: { paths: [], rows: 0, hasPath: () => false, sizes: [], mtimes: [], ctimes: [], inos: [], modes: "", ids: "" }, notes: new Map() };
