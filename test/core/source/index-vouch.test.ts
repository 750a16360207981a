// Issue 14, item 1: in a git repository, a redeploy's snapshot lets git say which tracked
// files differ from its index, and reuses the stat cache's row of every other one
// without looking at the file (core/source/index-vouch.ts). What that could get wrong,
// done with the real git as a user would, each checked against a snapshot without any
// cache (every file read and hashed): an edit, an edit undone, a mode change, a symlink
// retargeted, `git add`, line endings git would convert, attribute files, assume-unchanged,
// a project in a subfolder, no git on the PATH.
import assert from "node:assert/strict";
import { chmod, mkdir, mkdtemp, rm, symlink, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeEach, describe, test } from "vitest";
import { snapshotSource } from "../../../core/source/index.js";
import type { ManifestEntry } from "../../../core/protocol/spec.js";
import { readStatCacheFile, type StatCacheContents } from "../../../core/source/stat-cache-file.js";
import { changeStatCache, noteValue, replaceRowId, settleStatCache, statCacheFileIn } from "../../helpers/stat-cache.js";
import { gitIn as git } from "../../helpers/git.js";

/**
 * An id no file has, planted in a row with an mtime no file has: it shows in the manifest
 * only if the row was reused without a look at the file (a look finds another stat, and
 * reads the file).
 */
const PLANTED = "0".repeat(40);

function plantRow(cache: StatCacheContents, path: string): void {
	replaceRowId(cache, path, PLANTED);
	const row = cache.columns.paths.indexOf(path);
	const mtimes = Float64Array.from(cache.columns.mtimes);
	mtimes[row] = 1;
	cache.columns.mtimes = mtimes;
}

const roots: string[] = [];
afterAll(() => Promise.all(roots.map((dir) => rm(dir, { recursive: true, force: true }))));

describe("a redeploy's snapshot with git's word on the tracked files", () => {
	let repo: string;
	let dir: string;
	let cacheDir: string;
	const snapshot = () => snapshotSource(dir, { statCacheDir: cacheDir });
	/** The truth: every file read and hashed, no cache and no git. */
	const truth = async () => (await snapshotSource(dir)).manifest;
	/** A snapshot, then its cache trusted (as minutes later), then another: the state of a redeploy whose rows git has vouched for. */
	const vouchedOnce = async () => {
		await snapshot();
		await settleStatCache(cacheDir);
		const second = await snapshot();
		await settleStatCache(cacheDir);
		return second;
	};
	const idIn = (manifest: readonly ManifestEntry[], path: string) => manifest.find((entry) => entry.path === path)?.id;
	const plant = (path: string) => changeStatCache(cacheDir, (cache) => plantRow(cache, path));

	const setUp = async (project = "") => {
		repo = await mkdtemp(join(tmpdir(), "deploy-vouch-"));
		cacheDir = await mkdtemp(join(tmpdir(), "deploy-vouch-home-"));
		roots.push(repo, cacheDir);
		dir = join(repo, project);
		await mkdir(join(dir, "src"), { recursive: true });
		await git(repo, "init", "-q", "-b", "main");
		await writeFile(join(dir, "a.txt"), "alpha\n");
		await writeFile(join(dir, "src", "b.txt"), "beta\n");
		await writeFile(join(dir, "run.sh"), "echo hi\n");
		await symlink("a.txt", join(dir, "link"));
		await git(repo, "add", "-A");
		await git(repo, "commit", "-q", "-m", "first");
	};

	beforeEach(async () => {
		await setUp();
	});

	test("an unchanged tree: git vouches for every tracked file, whose row is reused without a look", async () => {
		const before = await vouchedOnce();
		assert.deepEqual(before.manifest, await truth());
		await plant("src/b.txt");
		const after = await snapshot();
		assert.equal(idIn(after.manifest, "src/b.txt"), PLANTED, "the row was taken as git vouched for the file");
	});

	test("the first look at an index checks every row against it: a row naming another blob is not reused", async () => {
		await snapshot();
		await settleStatCache(cacheDir);
		await plant("src/b.txt");
		// Nothing carried for this index yet (one snapshot only): the rows are checked with `git ls-files`.
		await changeStatCache(cacheDir, (cache) => cache.notes.delete("vouch"));
		const after = await snapshot();
		assert.deepEqual(after.manifest, await truth());
	});

	test("an edited file (same size, same second) is read; the others are still vouched for", async () => {
		await vouchedOnce();
		await plant("a.txt");
		await writeFile(join(dir, "src", "b.txt"), "BETA\n");
		const after = await snapshot();
		assert.equal(idIn(after.manifest, "src/b.txt"), (await git(dir, "hash-object", "src/b.txt")).stdout.trim());
		assert.equal(idIn(after.manifest, "a.txt"), PLANTED, "a.txt, unchanged, still from its row");
	});

	test("an edit undone: the file is the index's again, but its row names the edit, so it is read", async () => {
		await vouchedOnce();
		await writeFile(join(dir, "a.txt"), "alpha, edited\n");
		const edited = await snapshot();
		assert.deepEqual(edited.manifest, await truth());
		await settleStatCache(cacheDir);
		assert.equal(noteValue(await readCache(cacheDir), "vouch"), "a.txt", "the file git reported is noted: its row is not the index's");
		await writeFile(join(dir, "a.txt"), "alpha\n");
		const undone = await snapshot();
		assert.deepEqual(undone.manifest, await truth());
	});

	test("an execute bit, a retargeted symlink, a file become a symlink, a deleted file", async () => {
		await vouchedOnce();
		await chmod(join(dir, "run.sh"), 0o755);
		await unlink(join(dir, "link"));
		await symlink("src/b.txt", join(dir, "link"));
		await unlink(join(dir, "a.txt"));
		await symlink("run.sh", join(dir, "a.txt"));
		await unlink(join(dir, "src", "b.txt"));
		const after = await snapshot();
		assert.deepEqual(after.manifest, await truth());
		assert.equal(after.manifest.find((e) => e.path === "run.sh")?.mode, "100755");
		assert.equal(after.manifest.find((e) => e.path === "a.txt")?.mode, "120000");
	});

	test("an execute bit in a repository whose git is told not to trust them (core.filemode false)", async () => {
		await git(repo, "config", "core.filemode", "false");
		await vouchedOnce();
		await chmod(join(dir, "run.sh"), 0o755);
		assert.equal((await git(dir, "status", "--porcelain")).stdout, "", "git's own status sees no change");
		const after = await snapshot();
		assert.deepEqual(after.manifest, await truth());
		assert.equal(after.manifest.find((e) => e.path === "run.sh")?.mode, "100755");
	});

	test("`git add` of an edit (a new index) and a new file: the rows are checked against the new index", async () => {
		await vouchedOnce();
		await writeFile(join(dir, "a.txt"), "alpha 2\n");
		await writeFile(join(dir, "new.txt"), "new\n");
		await git(dir, "add", "-A");
		assert.deepEqual((await snapshot()).manifest, await truth());
		await settleStatCache(cacheDir);
		assert.deepEqual((await snapshot()).manifest, await truth());
	});

	test("line endings: with core.autocrlf, a CRLF copy of a committed LF file is deployed as the CRLF it is", async () => {
		await git(repo, "config", "core.autocrlf", "true");
		await vouchedOnce();
		// git would commit it as LF; the app gets the bytes on disk.
		await writeFile(join(dir, "a.txt"), "alpha\r\n");
		assert.deepEqual((await snapshot()).manifest, await truth());
	});

	test("an attribute file turns git's word down: every file is looked at", async () => {
		await writeFile(join(dir, "src", ".gitattributes"), "*.txt text eol=crlf\n");
		await vouchedOnce();
		await plant("src/b.txt");
		const after = await snapshot();
		assert.deepEqual(after.manifest, await truth(), "the planted row was checked by its stat, and the file read");
	});

	test("assume-unchanged: git would not look at the file, so its word is not taken", async () => {
		await vouchedOnce();
		await git(dir, "update-index", "--assume-unchanged", "a.txt");
		await settleStatCache(cacheDir);
		await writeFile(join(dir, "a.txt"), "alpha, changed\n");
		assert.deepEqual((await snapshot()).manifest, await truth());
	});

	test("a tree taken whole: what is asked of it without the manifest agrees with the manifest", async () => {
		await vouchedOnce();
		const again = await snapshot();
		assert.equal(again.files, 4);
		assert.equal(again.hasFile("src/b.txt"), true);
		assert.equal(again.hasFile("link"), true, "the last path of the rows");
		assert.equal(again.hasFile("a.txt"), true, "the first");
		assert.equal(again.hasFile("src"), false);
		assert.equal(again.hasFile("b.txt"), false);
		assert.deepEqual(again.manifest, await truth());
	});

	test("a new untracked file, or a new .deployignore, and the rows are no longer taken whole", async () => {
		await vouchedOnce();
		await writeFile(join(dir, "new.txt"), "new\n");
		const withNew = await snapshot();
		assert.deepEqual(withNew.manifest, await truth());
		assert.equal(withNew.files, 5);
		await unlink(join(dir, "new.txt"));
		await vouchedOnce();
		await git(dir, "rm", "-q", "--cached", "run.sh");
		await writeFile(join(dir, ".git", "info", "exclude"), ".deployignore\nrun.sh\n");
		await writeFile(join(dir, ".deployignore"), "src/\n");
		assert.deepEqual(
			(await snapshot()).manifest.map((e) => e.path),
			["a.txt", "link"],
		);
	});

	test("untracked files are never vouched for", async () => {
		await writeFile(join(dir, "notes.md"), "one\n");
		await vouchedOnce();
		await writeFile(join(dir, "notes.md"), "two\n");
		assert.deepEqual((await snapshot()).manifest, await truth());
	});

	test("without git on the PATH, every file is looked at as before", async () => {
		await vouchedOnce();
		await plant("a.txt");
		const path = process.env.PATH;
		process.env.PATH = await mkdtemp(join(tmpdir(), "deploy-vouch-nopath-"));
		roots.push(process.env.PATH);
		try {
			const after = await snapshot();
			assert.deepEqual(after.manifest, await truth(), "the planted row was checked by its stat, and the file read");
		} finally {
			process.env.PATH = path;
		}
	});
});

describe("a project in a subfolder of its repository", () => {
	test("git's paths are the project's, and its word is taken for them", async () => {
		const repo = await mkdtemp(join(tmpdir(), "deploy-vouch-sub-"));
		const cacheDir = await mkdtemp(join(tmpdir(), "deploy-vouch-sub-home-"));
		roots.push(repo, cacheDir);
		const dir = join(repo, "apps", "web");
		await mkdir(join(dir, "src"), { recursive: true });
		await writeFile(join(repo, "top.txt"), "outside the project\n");
		await writeFile(join(dir, "index.js"), "ok\n");
		await writeFile(join(dir, "src", "x.js"), "x\n");
		await git(repo, "init", "-q", "-b", "main");
		await git(repo, "add", "-A");
		await git(repo, "commit", "-q", "-m", "first");
		const snapshot = () => snapshotSource(dir, { statCacheDir: cacheDir });
		await snapshot();
		await settleStatCache(cacheDir);
		await snapshot();
		await settleStatCache(cacheDir);
		await changeStatCache(cacheDir, (cache) => plantRow(cache, "src/x.js"));
		await writeFile(join(repo, "top.txt"), "changed outside\n");
		await writeFile(join(dir, "index.js"), "changed\n");
		const after = await snapshot();
		assert.deepEqual(
			after.manifest.map((e) => [e.path, e.id]),
			[
				["index.js", (await git(dir, "hash-object", "index.js")).stdout.trim()],
				["src/x.js", PLANTED],
			],
		);
	});
});

async function readCache(cacheDir: string) {
	const contents = await readStatCacheFile(await statCacheFileIn(cacheDir));
	assert.ok(contents);
	return contents;
}
