// Issue 14, item 1: a redeploy takes the project's untracked files from the stat cache
// while no folder walked, no ignore file and not the index has changed
// (core/source/untracked-memo.ts, git's untracked cache). What that shortcut could get
// wrong, done as a user would with the real git: a new file in an old folder, deep
// down; a file removed; a .gitignore or info/exclude edited in place (its folder keeps
// its mtime); a folder changed within the clock's granularity of the cache's write.
import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, stat, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeEach, describe, test } from "vitest";
import { snapshotSource } from "../../../core/source/index.js";
import { changeStatCache, noteValue, settleStatCache } from "../../helpers/stat-cache.js";
import { gitIn as git } from "../../helpers/git.js";

const roots: string[] = [];
afterAll(() => Promise.all(roots.map((dir) => rm(dir, { recursive: true, force: true }))));

describe("a redeploy's untracked files from the stat cache", () => {
	let dir: string;
	let cacheDir: string;
	const paths = async () => (await snapshotSource(dir, { statCacheDir: cacheDir })).manifest.map((entry) => entry.path);
	/** As if the last snapshot had been taken 10 s after the tree last changed: what it noted is trusted. */
	const settle = () => settleStatCache(cacheDir);
	const deployedOnce = async () => {
		const first = await paths();
		await settle();
		return first;
	};

	beforeEach(async () => {
		dir = await mkdtemp(join(tmpdir(), "deploy-untracked-"));
		cacheDir = await mkdtemp(join(tmpdir(), "deploy-untracked-home-"));
		roots.push(dir, cacheDir);
		await git(dir, "init", "-q", "-b", "main");
		await mkdir(join(dir, "content", "deep"), { recursive: true });
		await writeFile(join(dir, ".gitignore"), "*.log\n");
		await writeFile(join(dir, "a.txt"), "alpha\n");
		await writeFile(join(dir, "content", "deep", "page.md"), "# page\n");
		await writeFile(join(dir, "debug.log"), "ignored, untracked\n");
		await writeFile(join(dir, "notes.txt"), "untracked, not ignored\n");
		await git(dir, "add", ".gitignore", "a.txt", "content");
		await git(dir, "commit", "-q", "-m", "first");
	});

	test("an unchanged tree: the untracked files are the remembered ones (the folders are not listed again)", async () => {
		assert.deepEqual(await deployedOnce(), [".gitignore", "a.txt", "content/deep/page.md", "notes.txt"]);
		// Proof the list is remembered, not walked again: a note that forgot notes.txt is believed.
		await changeStatCache(cacheDir, (cache) => {
			const note = JSON.parse(noteValue(cache, "untracked"));
			assert.deepEqual(note.untracked, ["notes.txt"]);
			note.untracked = [];
			cache.notes.get("untracked")![1] = JSON.stringify(note);
		});
		assert.deepEqual(await paths(), [".gitignore", "a.txt", "content/deep/page.md"]);
	});

	test("a new untracked file in an old folder, deep down, is found", async () => {
		await deployedOnce();
		await writeFile(join(dir, "content", "deep", "new.md"), "# new\n");
		assert.deepEqual(await paths(), [".gitignore", "a.txt", "content/deep/new.md", "content/deep/page.md", "notes.txt"]);
	});

	test("an untracked file removed, or renamed into a new folder, is seen as such", async () => {
		await deployedOnce();
		await unlink(join(dir, "notes.txt"));
		assert.deepEqual(await paths(), [".gitignore", "a.txt", "content/deep/page.md"]);
		await settle();
		await mkdir(join(dir, "content", "deep", "newer"));
		await writeFile(join(dir, "content", "deep", "newer", "notes.txt"), "moved\n");
		assert.deepEqual(await paths(), [".gitignore", "a.txt", "content/deep/newer/notes.txt", "content/deep/page.md"]);
	});

	test("a .gitignore edited in place (its folder's mtime stays) lets an ignored file in", async () => {
		await deployedOnce();
		const folderBefore = (await stat(dir)).mtimeMs;
		await writeFile(join(dir, ".gitignore"), "# nothing ignored\n");
		assert.equal((await stat(dir)).mtimeMs, folderBefore, "the premise: an edit in place leaves the folder's mtime");
		assert.deepEqual(await paths(), [".gitignore", "a.txt", "content/deep/page.md", "debug.log", "notes.txt"]);
	});

	test("info/exclude edited in place leaves an untracked file out", async () => {
		await deployedOnce();
		await writeFile(join(dir, ".git", "info", "exclude"), "notes.txt\n");
		assert.deepEqual(await paths(), [".gitignore", "a.txt", "content/deep/page.md"]);
	});

	test("a folder changed within the clock's granularity of the cache's write is listed again (racily clean), though its stat is as noted", async () => {
		await paths();
		// Not settled: the cache was written just now. A file added, and the note made to hold the folder's stat after it,
		// as when the addition fell in the same clock tick as the stat the cache took: only the racy rule can catch it.
		const folder = join(dir, "content", "deep");
		await writeFile(join(folder, "same-tick.md"), "# same tick\n");
		const now = await stat(folder);
		await changeStatCache(cacheDir, (cache) => {
			const note = JSON.parse(noteValue(cache, "untracked"));
			for (const watched of note.watched) if (watched[0].replace(/\/$/, "") === folder) watched[1] = `${now.mtimeMs}:${now.ctimeMs}:${now.size}:${now.ino}:${now.mode}`;
			assert.ok(note.watched.some((watched: string[]) => watched[1] === `${now.mtimeMs}:${now.ctimeMs}:${now.size}:${now.ino}:${now.mode}`), "the folder's note patched");
			cache.notes.get("untracked")![1] = JSON.stringify(note);
		});
		assert.ok((await paths()).includes("content/deep/same-tick.md"));
	});
});
