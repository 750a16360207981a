import { lstatSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import type { IgnoreStack } from "./ignore-rules.js";

/** Folders never deployed: git's own, and dependencies the server installs itself. */
export const ALWAYS_SKIPPED = new Set([".git", "node_modules"]);

/** Whether a relative path passes through a folder that is never deployed. */
export function isAlwaysSkipped(path: string): boolean {
	return path.split("/").some((part) => ALWAYS_SKIPPED.has(part));
}

/**
 * The files and symlinks under `root` that gitignore rules let through, as POSIX
 * paths relative to `root`. `prefix` is root's place in the repository ("" or
 * "examples/hello/"): rules are matched against repository paths, as git does.
 * An ignored folder is not entered (git cannot re-include anything inside it),
 * and symlinks are reported, never followed.
 */
export async function walkFiles(root: string, prefix: string, rules: IgnoreStack, watched?: WatchedPaths): Promise<string[]> {
	const found: string[] = [];
	await walkFolder(root, "", prefix, rules, found, watched);
	return found;
}

/**
 * What a walk's answer depends on (untracked-memo.ts): each folder entered (its mtime
 * changes when an entry is added, removed or renamed in it) and each ignore file
 * consulted, present or not, each with its stat taken before it was read, so a change
 * while the walk runs shows as a different stat next time.
 */
export type WatchedPaths = [path: string, stat: string][];

/** A path's stat as one comparable string ("" when it does not exist). */
export function watchedStat(path: string): string {
	const stats = lstatSync(path, { throwIfNoEntry: false });
	return stats ? `${stats.mtimeMs}:${stats.ctimeMs}:${stats.size}:${stats.ino}:${stats.mode}` : "";
}

async function walkFolder(root: string, relative: string, prefix: string, inherited: IgnoreStack, found: string[], watched: WatchedPaths | undefined): Promise<void> {
	const folder = join(root, relative);
	if (watched) for (const path of [folder, join(folder, ".gitignore")]) watched.push([path, watchedStat(path)]);
	const rules = await inherited.with(join(folder, ".gitignore"), prefix + relative);
	const entries = await readdir(folder, { withFileTypes: true });
	const subfolders: Promise<void>[] = [];
	for (const entry of entries) {
		if (ALWAYS_SKIPPED.has(entry.name)) continue;
		const path = relative + entry.name;
		if (entry.isDirectory()) {
			if (!rules.ignores(prefix + path, true)) subfolders.push(walkFolder(root, `${path}/`, prefix, rules, found, watched));
		} else if (entry.isFile() || entry.isSymbolicLink()) {
			if (!rules.ignores(prefix + path, false)) found.push(path);
		}
		// Sockets, fifos and devices are not source.
	}
	await Promise.all(subfolders);
}
