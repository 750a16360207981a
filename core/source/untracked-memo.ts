import type { IgnoreStack } from "./ignore-rules.js";
import type { StatCache } from "./stat-cache.js";
import { type WatchedPaths, walkFiles, watchedStat } from "./walk.js";

// Git's untracked cache, for the snapshot: listing the project's folders for files
// git does not track cost a redeploy of 50,000 files ~0.1 s (100 folders, 50,000
// entries matched against the ignore rules) and joining that list with the tracked
// one as much again. A folder's mtime changes whenever an entry is added, removed or
// renamed in it, so while no folder walked, no ignore file consulted and not the
// index has a new stat, the walk would find the same untracked files.

interface Remembered {
	watched: WatchedPaths;
	untracked: string[];
}

/**
 * The files under the project that the walk finds (not ignored) and the index does
 * not list (`tracked`, read meanwhile). `watched` holds the stats, taken before reading, of what was read before
 * the walk: the index and the ignore files above the project. Remembered in the stat
 * cache with the stat of every folder walked; trusted only when every stat is the
 * same and none changed within the racy window of the cache's write (a folder changed
 * in the same clock tick as its stat was taken keeps its mtime).
 */
export async function untrackedFilesOf(root: string, prefix: string, rules: IgnoreStack, tracked: Promise<readonly string[]>, watched: WatchedPaths, cache: StatCache | undefined): Promise<string[]> {
	const known = cache ? untrackedUnchanged(cache, prefix) : null;
	if (known) return known;
	const walked: WatchedPaths = [...watched];
	const found = await walkFiles(root, prefix, rules, cache ? walked : undefined);
	const indexed = new Set(await tracked);
	const untracked = found.filter((path) => !indexed.has(path));
	cache?.note("untracked", prefix, JSON.stringify({ watched: walked, untracked } satisfies Remembered));
	return untracked;
}

/** The remembered untracked files when nothing they depend on has changed since (noted again, so the next snapshot finds them too); null otherwise. */
export function untrackedUnchanged(cache: StatCache, prefix: string): string[] | null {
	const known = recallUnchanged(cache, prefix);
	if (known) cache.note("untracked", prefix, known.value);
	return known?.untracked ?? null;
}

/** The remembered untracked files when nothing they depend on has changed since; null otherwise. */
function recallUnchanged(cache: StatCache, prefix: string): { untracked: string[]; value: string } | null {
	const value = cache.recall("untracked", prefix);
	if (value === null) return null;
	let remembered: Remembered;
	try {
		remembered = JSON.parse(value) as Remembered;
	} catch {
		return null;
	}
	if (!Array.isArray(remembered.watched) || !Array.isArray(remembered.untracked)) return null;
	let mtimeMs = 0;
	let ctimeMs = 0;
	for (const [path, stat] of remembered.watched) {
		if (watchedStat(path) !== stat) return null;
		const [mtime, ctime] = stat.split(":").map(Number);
		if (mtime! > mtimeMs) mtimeMs = mtime!;
		if (ctime! > ctimeMs) ctimeMs = ctime!;
	}
	// Unchanged, but changed recently enough that a change in the same clock tick could hide: walk again.
	if (cache.recall("untracked", prefix, { mtimeMs, ctimeMs }) === null) return null;
	return { untracked: remembered.untracked, value };
}
