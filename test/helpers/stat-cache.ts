// The snapshot's stat cache file (core/source/stat-cache-file.ts) read and changed by
// tests: to date it later (as if written minutes after the files changed, so nothing is
// "racily clean") or to plant a value that proves a shortcut was taken.
import assert from "node:assert/strict";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { readStatCacheFile, type StatCacheContents, writeStatCacheFile } from "../../core/source/stat-cache-file.js";

/** The one project's cache file in `cacheDir`. */
export async function statCacheFileIn(cacheDir: string): Promise<string> {
	const files = (await readdir(cacheDir)).filter((name) => name.endsWith(".stat"));
	assert.equal(files.length, 1, `one stat cache in ${cacheDir}`);
	return join(cacheDir, files[0]!);
}

/** Reads the cache, lets `change` edit it in place, writes it back. */
export async function changeStatCache(cacheDir: string, change: (contents: StatCacheContents) => void): Promise<void> {
	const file = await statCacheFileIn(cacheDir);
	const contents = await readStatCacheFile(file);
	assert.ok(contents, `${file} reads back as a stat cache`);
	change(contents);
	await writeStatCacheFile(file, contents);
}

/** As if the last snapshot had been taken 10 s after the files last changed: what it cached is trusted. */
export function settleStatCache(cacheDir: string): Promise<void> {
	return changeStatCache(cacheDir, (contents) => {
		contents.writtenAt += 10_000;
	});
}

/** A note's value, which `changeStatCache` may replace. */
export function noteValue(contents: StatCacheContents, name: string): string {
	const note = contents.notes.get(name);
	assert.ok(note, `the cache has a note "${name}"`);
	return note[1];
}

/** Makes the row of `path` name `id` (a value that shows whether the row was reused as it is). */
export function replaceRowId(contents: StatCacheContents, path: string, id: string): void {
	const row = contents.columns.paths.indexOf(path);
	assert.ok(row >= 0, `a row for ${path}`);
	contents.columns.ids = contents.columns.ids.slice(0, row * 40) + id + contents.columns.ids.slice(row * 40 + 40);
}
