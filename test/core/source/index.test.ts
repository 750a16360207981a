import assert from "node:assert/strict";
import { chmod, mkdir, mkdtemp, rm, symlink, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, test } from "vitest";
import { snapshotSource } from "../../../core/source/index.js";
import { gitIn as git } from "../../helpers/git.js";

const root = await mkdtemp(join(tmpdir(), "deploy-source-"));
afterAll(() => rm(root, { recursive: true, force: true }));

async function write(dir: string, files: Record<string, string>): Promise<void> {
	for (const [path, content] of Object.entries(files)) {
		await mkdir(dirname(join(dir, path)), { recursive: true });
		await writeFile(join(dir, path), content);
	}
}

/** What `git hash-object` says for a file: the id the manifest must carry. */
async function hashObject(dir: string, path: string): Promise<string> {
	return (await git(dir, "hash-object", "--", path)).stdout.trim();
}

async function commitAll(dir: string): Promise<string> {
	await git(dir, "add", "-A");
	await git(dir, "commit", "-q", "-m", "snapshot");
	return (await git(dir, "rev-parse", "HEAD")).stdout.trim();
}

describe("a project that is a git repository", () => {
	const dir = join(root, "repo");
	let head = "";

	beforeAll(async () => {
		await mkdir(dir);
		await git(dir, "init", "-q");
		await write(dir, {
			".gitignore": "dist/\n*.log\n!keep.log\n",
			"package.json": '{"name":"repo"}\n',
			"src/index.js": "console.log(1)\n",
			"src/.gitignore": "secret.txt\n",
			"bin/run": "#!/bin/sh\necho run\n",
			"forced.log": "tracked although ignored\n",
		});
		await chmod(join(dir, "bin/run"), 0o755);
		await git(dir, "add", ".gitignore", "package.json", "src", "bin");
		await git(dir, "add", "-f", "forced.log");
		await git(dir, "commit", "-q", "-m", "first");
		head = (await git(dir, "rev-parse", "HEAD")).stdout.trim();
	});

	test("a clean tree is HEAD's files, commit without -dirty", async () => {
		const snapshot = await snapshotSource(dir);
		assert.equal(snapshot.commit, head);
		const tracked = (await git(dir, "ls-files")).stdout.split("\n").sort();
		assert.deepEqual(
			snapshot.manifest.map((entry) => entry.path),
			tracked,
		);
		for (const entry of snapshot.manifest) assert.equal(entry.id, await hashObject(dir, entry.path), entry.path);
		assert.equal(snapshot.manifest.find((entry) => entry.path === "bin/run")?.mode, "100755");
		assert.equal(snapshot.manifest.find((entry) => entry.path === "package.json")?.mode, "100644");
	});

	test("modified, untracked, ignored and deleted files, as the working tree has them", async () => {
		await write(dir, {
			"src/index.js": "console.log(2)\n",
			"src/new.js": "export {}\n",
			"src/secret.txt": "ignored by the nested .gitignore\n",
			"dist/bundle.js": "ignored folder\n",
			"debug.log": "ignored pattern\n",
			"keep.log": "re-included by !keep.log\n",
			"node_modules/dep/index.js": "never deployed\n",
		});
		await unlink(join(dir, "package.json"));
		const snapshot = await snapshotSource(dir);
		assert.deepEqual(
			snapshot.manifest.map((entry) => entry.path),
			[".gitignore", "bin/run", "forced.log", "keep.log", "src/.gitignore", "src/index.js", "src/new.js"],
		);
		// Exactly what git itself reports as tracked plus untracked-not-ignored (minus node_modules, never deployed).
		const gitFiles = (await git(dir, "ls-files", "--cached", "--others", "--exclude-standard")).stdout.split("\n");
		const present = gitFiles.filter((path) => path !== "package.json" && !path.startsWith("node_modules/")).sort();
		assert.deepEqual(
			snapshot.manifest.map((entry) => entry.path),
			present,
		);
		for (const entry of snapshot.manifest) assert.equal(entry.id, await hashObject(dir, entry.path), entry.path);
		assert.equal(snapshot.commit, `${head}-dirty`);
	});

	test("readObject returns the content behind an id", async () => {
		const snapshot = await snapshotSource(dir);
		const entry = snapshot.manifest.find((e) => e.path === "src/index.js")!;
		assert.equal((await snapshot.readObject(entry.id)).toString(), "console.log(2)\n");
	});

	test("readObject refuses content that changed since the snapshot", async () => {
		const snapshot = await snapshotSource(dir);
		// Read from the disk again, not from the bytes the snapshot kept (those are the ones hashed: kept-contents.test.ts).
		snapshot.dropKept();
		const entry = snapshot.manifest.find((e) => e.path === "src/new.js")!;
		await writeFile(join(dir, "src/new.js"), "changed\n");
		await assert.rejects(snapshot.readObject(entry.id), { code: "SOURCE_CHANGED" });
	});

	test("committing everything makes it clean again", async () => {
		const commit = await commitAll(dir);
		const snapshot = await snapshotSource(dir);
		assert.equal(snapshot.commit, commit);
	});

	test("symlinks are stored as links, whether they point inside or outside", async () => {
		await symlink("src/index.js", join(dir, "inside-link"));
		await symlink("/etc/hostname", join(dir, "outside-link"));
		const snapshot = await snapshotSource(dir);
		const inside = snapshot.manifest.find((e) => e.path === "inside-link")!;
		const outside = snapshot.manifest.find((e) => e.path === "outside-link")!;
		assert.equal(inside.mode, "120000");
		assert.equal(outside.mode, "120000");
		assert.equal((await snapshot.readObject(outside.id)).toString(), "/etc/hostname");
		// git stores the same links with the same ids (hash-object would follow them, so ask the index).
		await git(dir, "add", "inside-link", "outside-link");
		const staged = (await git(dir, "ls-files", "-s", "inside-link", "outside-link")).stdout;
		assert.match(staged, new RegExp(`^120000 ${inside.id} 0\tinside-link$`, "m"));
		assert.match(staged, new RegExp(`^120000 ${outside.id} 0\toutside-link$`, "m"));
	});
});

describe("a project in a subfolder of a repository", () => {
	const repo = join(root, "mono");
	const app = join(repo, "apps", "web");
	let head = "";

	beforeAll(async () => {
		await mkdir(repo);
		await git(repo, "init", "-q");
		await write(repo, {
			".gitignore": "*.tmp\n/apps/web/build/\n",
			"README.md": "monorepo\n",
			"apps/other/index.js": "other\n",
			"apps/web/package.json": '{"name":"web"}\n',
			"apps/web/server.js": "server\n",
		});
		head = await commitAll(repo);
	});

	test("only the subfolder, with paths relative to it, and the repository's ignore rules", async () => {
		await write(app, { "scratch.tmp": "ignored by the root .gitignore\n", "build/out.js": "ignored, anchored at the root\n" });
		const snapshot = await snapshotSource(app);
		assert.deepEqual(
			snapshot.manifest.map((entry) => entry.path),
			["package.json", "server.js"],
		);
		for (const entry of snapshot.manifest) assert.equal(entry.id, await hashObject(app, entry.path));
		assert.equal(snapshot.commit, head);
	});

	test("changes elsewhere in the repository do not make the project dirty", async () => {
		await write(repo, { "apps/other/index.js": "changed\n", "notes.md": "untracked\n" });
		assert.equal((await snapshotSource(app)).commit, head);
		await write(app, { "server.js": "changed\n" });
		assert.equal((await snapshotSource(app)).commit, `${head}-dirty`);
	});
});

describe("a project outside git", () => {
	test("every file but node_modules, honouring .gitignore; no commit", async () => {
		const dir = join(root, "plain");
		await write(dir, {
			".gitignore": "*.log\n",
			"index.html": "<p>hi</p>\n",
			"assets/app.css": "p{}\n",
			"error.log": "ignored\n",
			"node_modules/x/index.js": "skipped\n",
		});
		const snapshot = await snapshotSource(dir);
		assert.equal(snapshot.commit, null);
		assert.deepEqual(
			snapshot.manifest.map((entry) => entry.path),
			[".gitignore", "assets/app.css", "index.html"],
		);
		for (const entry of snapshot.manifest) assert.equal(entry.id, await hashObject(dir, entry.path));
	});

	test("a repository with no commit yet has no commit", async () => {
		const dir = join(root, "fresh");
		await write(dir, { "a.txt": "a\n" });
		await git(dir, "init", "-q");
		const snapshot = await snapshotSource(dir);
		assert.equal(snapshot.commit, null);
		assert.deepEqual(
			snapshot.manifest.map((entry) => entry.path),
			["a.txt"],
		);
	});

	test("a missing folder is a DeployError", async () => {
		await assert.rejects(snapshotSource(join(root, "nope")), { code: "SOURCE_NOT_FOUND" });
	});
});

describe("a .deployignore (gitignore syntax)", () => {
	const files = {
		".deployignore": "data/\n*.psd\n!keep.psd\n",
		"server.js": "// app\n",
		"data/big.bin": "x".repeat(1000),
		"data/nested/more.bin": "y\n",
		"design.psd": "layers\n",
		"keep.psd": "kept\n",
	};
	const kept = [".deployignore", "keep.psd", "server.js"];

	test("leaves files out of a repository, tracked ones too; the commit stays clean", async () => {
		const dir = join(root, "deployignore-repo");
		await write(dir, files);
		await git(dir, "init", "-q");
		const head = await commitAll(dir);
		const snapshot = await snapshotSource(dir);
		assert.deepEqual(
			snapshot.manifest.map((entry) => entry.path),
			kept,
		);
		assert.equal(snapshot.commit, head);
	});

	test("issue 14: a workspace uploaded for its package keeps the root's rules and the package's own, relative to its folder", async () => {
		const dir = join(root, "deployignore-workspace");
		await write(dir, {
			".deployignore": "*.psd\n",
			"package.json": "{}\n",
			"design.psd": "layers\n",
			"packages/web/.deployignore": "fixtures/\n",
			"packages/web/server.js": "// app\n",
			"packages/web/fixtures/big.json": "{}\n",
			"packages/web/logo.psd": "layers\n",
			"packages/lib/fixtures/kept.json": "{}\n",
		});
		const paths = (await snapshotSource(dir, { packageDir: "packages/web" })).manifest.map((entry) => entry.path);
		assert.deepEqual(paths, [".deployignore", "package.json", "packages/lib/fixtures/kept.json", "packages/web/.deployignore", "packages/web/server.js"]);
	});

	test("leaves files out of a folder outside git", async () => {
		const dir = join(root, "deployignore-plain");
		await write(dir, files);
		assert.deepEqual(
			(await snapshotSource(dir)).manifest.map((entry) => entry.path),
			kept,
		);
	});
});
