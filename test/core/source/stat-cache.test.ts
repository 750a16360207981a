// The snapshot's stat cache (core/source/stat-cache.ts): a file whose stat is as the
// last snapshot left it is not read again; a changed stat, or a file changed too close
// to the last snapshot to be told apart by its stat (git's "racily clean"), is. Its file
// is binary (core/source/stat-cache-file.ts), its rows in path order.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { appendFile, mkdtemp, readdir, realpath, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { extname, join } from "node:path";
import { afterAll, beforeAll, describe, test } from "vitest";
import { snapshotSource } from "../../../core/source/index.js";
import { manifestHash } from "../../../core/protocol/manifest.js";
import { readStatCacheFile, writeStatCacheFile } from "../../../core/source/stat-cache-file.js";
import { changeStatCache, replaceRowId, statCacheFileIn } from "../../helpers/stat-cache.js";

const MARKER = "0123456789abcdef0123456789abcdef01234567";

describe("the snapshot's stat cache", () => {
	let dir: string;
	let cacheDir: string;
	const cacheFile = async () => join(cacheDir, (await readdir(cacheDir))[0]!);
	/** Puts MARKER in the cache as the id of `path`, optionally dating the cache `laterMs` after its write. */
	const tamper = async (path: string, laterMs: number) => {
		const file = await cacheFile();
		const cache = await readStatCacheFile(file);
		assert.ok(cache, "the cache was written and reads back");
		replaceRowId(cache, path, MARKER);
		cache.writtenAt += laterMs;
		await writeStatCacheFile(file, cache);
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
		await writeFile(await cacheFile(), "not a stat cache");
		assert.equal((await snapshotSource(dir, { statCacheDir: cacheDir })).manifest.length, 2);
	});

	test("rows are written in path order, however the reads finished, so the next snapshot finds them row after row", async () => {
		const tree = await mkdtemp(join(tmpdir(), "deploy-stat-cache-order-"));
		const home = await mkdtemp(join(tmpdir(), "deploy-stat-cache-order-home-"));
		try {
			// Sizes that make the reads finish out of order: the large ones are hashed last.
			for (let i = 0; i < 60; i++) await writeFile(join(tree, `f-${String(i).padStart(2, "0")}.txt`), "x".repeat(i % 3 === 0 ? 300_000 : 10));
			await snapshotSource(tree, { statCacheDir: home });
			const cache = await readStatCacheFile(await statCacheFileIn(home));
			assert.ok(cache);
			assert.deepEqual(cache.columns.paths, [...cache.columns.paths].sort());
			assert.equal(cache.columns.paths.length, 60);
		} finally {
			await rm(tree, { recursive: true, force: true });
			await rm(home, { recursive: true, force: true });
		}
	});

	test("the same rows as last time: the manifest's hash is the one noted then; a changed file computes it again", async () => {
		await writeFile(join(dir, "a.txt"), "alpha\n");
		const first = await snapshotSource(dir, { statCacheDir: cacheDir });
		const planted = "f".repeat(64);
		await changeStatCache(cacheDir, (cache) => {
			assert.equal(cache.notes.get("manifest")?.[1], first.manifestHash, "the hash noted with the rows");
			cache.notes.set("manifest", ["rows", planted]);
			cache.writtenAt += 10_000;
		});
		assert.equal((await snapshotSource(dir, { statCacheDir: cacheDir })).manifestHash, planted, "taken from the note, not computed");
		await appendFile(join(dir, "a.txt"), "changed\n");
		const changed = await snapshotSource(dir, { statCacheDir: cacheDir });
		assert.notEqual(changed.manifestHash, planted);
		assert.equal(changed.manifestHash, manifestHash(changed.manifest));
	});

	test("the JSON cache of earlier versions is replaced by the binary one", async () => {
		const tree = await mkdtemp(join(tmpdir(), "deploy-stat-cache-v2-"));
		const home = await mkdtemp(join(tmpdir(), "deploy-stat-cache-v2-home-"));
		try {
			await writeFile(join(tree, "a.txt"), "alpha\n");
			const old = join(home, `${createHash("sha256").update(await realpath(tree)).digest("hex").slice(0, 32)}.json`);
			await writeFile(old, JSON.stringify({ version: 2, writtenAt: 0, paths: "", sizes: [], mtimes: [], ctimes: [], inos: [], modes: "", ids: "", notes: {} }));
			assert.equal((await snapshotSource(tree, { statCacheDir: home })).manifest.length, 1);
			assert.deepEqual((await readdir(home)).map((name) => extname(name)), [".stat"]);
		} finally {
			await rm(tree, { recursive: true, force: true });
			await rm(home, { recursive: true, force: true });
		}
	});

	test("the file read back answers whether it has a path without splitting its paths: first, last, middle, a lone one, none", async () => {
		const home = await mkdtemp(join(tmpdir(), "deploy-stat-cache-paths-"));
		try {
			const file = join(home, "x.stat");
			const write = (paths: string[]) =>
				writeStatCacheFile(file, {
					writtenAt: 1,
					columns: { paths, rows: paths.length, hasPath: () => false, sizes: paths.map(() => 1), mtimes: paths.map(() => 1), ctimes: paths.map(() => 1), inos: paths.map(() => 1), modes: "f".repeat(paths.length), ids: MARKER.repeat(paths.length) },
					notes: new Map(),
				});
			const read = async () => {
				const cache = await readStatCacheFile(file);
				assert.ok(cache);
				return cache.columns;
			};
			await write(["a", "b/c", "b/cd"]);
			const three = await read();
			assert.equal(three.rows, 3);
			for (const path of ["a", "b/c", "b/cd"]) assert.equal(three.hasPath(path), true, path);
			for (const path of ["", "b", "c", "b/", "cd", "a\0b/c", "b/cde"]) assert.equal(three.hasPath(path), false, JSON.stringify(path));
			await write(["lone/file"]);
			const one = await read();
			assert.equal(one.hasPath("lone/file"), true);
			assert.equal(one.hasPath("lone"), false);
			assert.equal(one.hasPath("file"), false);
			await write([]);
			assert.equal((await read()).hasPath(""), false);
		} finally {
			await rm(home, { recursive: true, force: true });
		}
	});
});
