// The manifest's order, by path: the snapshot asks the stat cache about its files in
// it, and writes the cache's rows in it, so that an unchanged tree is found row after row.

/** The manifest's order (core/protocol/manifest.ts sorts by the same comparison). */
export function comparePaths(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * `items` in the manifest's order of `pathOf` each, sorted only when they are not so
 * already: git's index lists its files in that order (UTF-8's byte order, the same as
 * JavaScript's for all but a few characters), and a first sort of 50,000 paths through
 * a comparator the JIT has not compiled yet cost a redeploy ~0.1 s.
 */
export function inPathOrder<T>(items: T[], pathOf: (item: T) => string): T[] {
	for (let i = 1; i < items.length; i++) if (pathOf(items[i - 1]!) > pathOf(items[i]!)) return items.sort((a, b) => comparePaths(pathOf(a), pathOf(b)));
	return items;
}

/** Two lists of paths as one, in the manifest's order: the tracked files and the (usually few) untracked ones. */
export function mergedInPathOrder(first: string[], second: string[]): string[] {
	const a = inPathOrder(first, (path) => path);
	const b = inPathOrder(second, (path) => path);
	if (b.length === 0) return a;
	if (a.length === 0) return b;
	const merged: string[] = [];
	let i = 0;
	let j = 0;
	while (i < a.length && j < b.length) merged.push(a[i]! <= b[j]! ? a[i++]! : b[j++]!);
	while (i < a.length) merged.push(a[i++]!);
	while (j < b.length) merged.push(b[j++]!);
	return merged;
}
