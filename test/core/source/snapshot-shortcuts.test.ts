// Issue 14, item 1: a no-change redeploy of a large git project takes what the last
// snapshot found from the stat cache (core/source/stat-cache.ts): each file's id by
// its stat, the index's files by the index's stat, whether the tree is HEAD's by
// HEAD's id and the manifest (core/source/repository-memo.ts). What those shortcuts
// could get wrong, done as a user would with the real git: edit a file, commit, move
// HEAD back, `git add -f` an ignored file, delete a file.
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeEach, describe, test } from "vitest";
import { snapshotSource } from "../../../core/source/index.js";
import { changeStatCache, settleStatCache, statCacheFileIn } from "../../helpers/stat-cache.js";
import { gitIn as git } from "../../helpers/git.js";

const roots: string[] = [];
afterAll(() => Promise.all(roots.map((dir) => rm(dir, { recursive: true, force: true }))));

describe("a redeploy's snapshot from the stat cache", () => {
	let dir: string;
	let cacheDir: string;
	let head: string;
	const snapshot = () => snapshotSource(dir, { statCacheDir: cacheDir });
	const cacheFile = () => statCacheFileIn(cacheDir);
	const headOf = async () => (await git(dir, "rev-parse", "HEAD")).stdout.trim();
	const idOf = async (path: string) => (await git(dir, "hash-object", "--", path)).stdout.trim();
	/**
	 * As if the last snapshot had been taken 10 s after the files last changed: what it
	 * cached is trusted (within 2 s it is "racily clean" and read again, which would
	 * hide a shortcut gone wrong behind a fresh read).
	 */
	const settle = () => settleStatCache(cacheDir);
	/** A snapshot, then the cache made trustworthy: the state a redeploy minutes later starts from. */
	const deployedOnce = async () => {
		const first = await snapshot();
		await settle();
		return first;
	};

	beforeEach(async () => {
		dir = await mkdtemp(join(tmpdir(), "deploy-shortcuts-"));
		cacheDir = await mkdtemp(join(tmpdir(), "deploy-shortcuts-home-"));
		roots.push(dir, cacheDir);
		await git(dir, "init", "-q", "-b", "main");
		await writeFile(join(dir, ".gitignore"), "*.log\n");
		await writeFile(join(dir, "a.txt"), "alpha\n");
		await writeFile(join(dir, "b.txt"), "beta\n");
		await writeFile(join(dir, "debug.log"), "ignored, untracked\n");
		await git(dir, "add", "-A");
		await git(dir, "commit", "-q", "-m", "first");
		head = await headOf();
	});

	test("an unchanged tree: the same manifest and clean commit, and the cache is not written again", async () => {
		const first = await deployedOnce();
		assert.equal(first.commit, head);
		const cached = await readFile(await cacheFile());
		const again = await snapshot();
		assert.deepEqual(again.manifest, first.manifest);
		assert.equal(again.commit, head);
		assert.ok((await readFile(await cacheFile())).equals(cached), "nothing changed, nothing rewritten");
	});

	test("the last snapshot's conclusions are taken as they are (so the repository is not read again)", async () => {
		await deployedOnce();
		// Proof the comparison with HEAD is remembered, not redone: a note saying otherwise is believed.
		await changeStatCache(cacheDir, (cache) => {
			const head = cache.notes.get("head");
			assert.ok(head);
			head[1] = "dirty";
		});
		assert.equal((await snapshot()).commit, `${head}-dirty`);
	});

	test("a file edited after a no-change snapshot is read again (same size) and makes the commit -dirty", async () => {
		await deployedOnce();
		await snapshot();
		await writeFile(join(dir, "a.txt"), "ALPHA\n");
		const after = await snapshot();
		assert.equal(after.manifest.find((e) => e.path === "a.txt")?.id, await idOf("a.txt"));
		assert.equal(after.commit, `${head}-dirty`);
	});

	test("a commit of the edited tree makes it clean; HEAD moved back without a file change makes it -dirty again", async () => {
		await writeFile(join(dir, "a.txt"), "alpha, edited\n");
		assert.equal((await deployedOnce()).commit, `${head}-dirty`);
		assert.equal((await snapshot()).commit, `${head}-dirty`, "from the cache, still dirty");

		await git(dir, "commit", "-q", "-am", "edit");
		const edited = await headOf();
		assert.equal((await snapshot()).commit, edited, "no file changed, HEAD moved: clean");
		await settle();

		await git(dir, "reset", "-q", "--soft", "HEAD~1");
		assert.equal((await snapshot()).commit, `${head}-dirty`);
	});

	test("`git add -f` of an ignored file (only the index changes): the file is deployed", async () => {
		const first = await deployedOnce();
		assert.equal(first.manifest.some((e) => e.path === "debug.log"), false);
		await git(dir, "add", "-f", "debug.log");
		const after = await snapshot();
		assert.equal(after.manifest.find((e) => e.path === "debug.log")?.id, await idOf("debug.log"));
		assert.equal(after.commit, `${head}-dirty`, "not in HEAD");
		await git(dir, "rm", "-q", "--cached", "debug.log");
		assert.equal((await snapshot()).manifest.some((e) => e.path === "debug.log"), false, "untracked again: ignored again");
	});

	test("a deleted file goes, and its absence makes the commit -dirty", async () => {
		await deployedOnce();
		await unlink(join(dir, "b.txt"));
		const after = await snapshot();
		assert.deepEqual(
			after.manifest.map((e) => e.path),
			[".gitignore", "a.txt"],
		);
		assert.equal(after.commit, `${head}-dirty`);
	});

	test("a .deployignore that stops leaving out a committed file the tree lacks: -dirty, though the manifest is the same", async () => {
		// The .deployignore itself kept out of git (and so of the manifest) by info/exclude.
		await writeFile(join(dir, ".git", "info", "exclude"), ".deployignore\n");
		await writeFile(join(dir, ".deployignore"), "b.txt\n");
		await unlink(join(dir, "b.txt"));
		const first = await deployedOnce();
		assert.equal(first.commit, head, "b.txt is left out, so the tree without it is HEAD's");
		await writeFile(join(dir, ".deployignore"), "# nothing left out\n");
		const after = await snapshot();
		assert.deepEqual(after.manifest, first.manifest);
		assert.equal(after.commit, `${head}-dirty`);
	});
});
