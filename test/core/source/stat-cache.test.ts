// The snapshot's stat cache (core/source/stat-cache.ts): a file whose stat is as the
// last snapshot left it is not read again; a changed stat, or a file changed too close
// to the last snapshot to be told apart by its stat (git's "racily clean"), is.
import assert from "node:assert/strict";
import { readdir, readFile, mkdtemp, rm, writeFile, appendFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, test } from "vitest";
import { snapshotSource } from "../../../core/source/index.js";

const MARKER = "0123456789abcdef0123456789abcdef01234567";

describe("the snapshot's stat cache", () => {
	let dir: string;
	let cacheDir: string;
	const cacheFile = async () => join(cacheDir, (await readdir(cacheDir))[0]!);
	/** Puts MARKER in the cache as the id of `path`, optionally dating the cache `laterMs` after its write. */
	const tamper = async (path: string, laterMs: number) => {
		const file = await cacheFile();
		const cache = JSON.parse(await readFile(file, "utf8"));
		const row = cache.paths.split("\0").indexOf(path);
		cache.ids = cache.ids.slice(0, row * 40) + MARKER + cache.ids.slice(row * 40 + 40);
		cache.writtenAt += laterMs;
		await writeFile(file, JSON.stringify(cache));
	};
	const idOf = async (path: string) => (await snapshotSource(dir, { statCacheDir: cacheDir })).manifest.find((e) => e.path === path)?.id;

	beforeAll(async () => {
		dir = await mkdtemp(join(tmpdir(), "deploy-stat-cache-"));
		cacheDir = await mkdtemp(join(tmpdir(), "deploy-stat-cache-home-"));
		await writeFile(join(dir, "a.txt"), "alpha\n");
		await writeFile(join(dir, "b.txt"), "beta\n");
	});
	afterAll(async () => {
		await rm(dir, { recursive: true, force: true });
		await rm(cacheDir, { recursive: true, force: true });
	});

	test("an unchanged file is taken from the cache, not read; a changed one is read again", async () => {
		const real = await idOf("a.txt");
		await tamper("a.txt", 10_000);
		assert.equal(await idOf("a.txt"), MARKER, "the cached id, so the file was not read");
		await appendFile(join(dir, "a.txt"), "more\n");
		const changed = await idOf("a.txt");
		assert.notEqual(changed, MARKER);
		assert.notEqual(changed, real);
	});

	test("a file changed within 2 s before the cache was written is read again (racily clean)", async () => {
		await writeFile(join(dir, "b.txt"), "beta 2\n");
		const real = await idOf("b.txt");
		await tamper("b.txt", 0);
		assert.equal(await idOf("b.txt"), real);
	});

	test("rows are found by path when the files come in another order than the cache's (a file added before them)", async () => {
		// The cache is read in its own order while the tree is unchanged; a new first file shifts every row.
		await idOf("a.txt");
		await tamper("b.txt", 10_000);
		await writeFile(join(dir, "0-first.txt"), "first\n");
		assert.equal(await idOf("b.txt"), MARKER, "b.txt's row found though it moved");
		assert.equal(await idOf("0-first.txt"), (await import("../../../core/source/blob.js")).blobId(Buffer.from("first\n")));
		await rm(join(dir, "0-first.txt"));
	});

	test("an unreadable cache is no cache", async () => {
		await writeFile(await cacheFile(), "not json");
		assert.equal((await snapshotSource(dir, { statCacheDir: cacheDir })).manifest.length, 2);
	});
});
