// Issue 18: a pushed commit's tree as a deploy's manifest, read by real git from a real repository.
import assert from "node:assert/strict";
import { mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { test } from "vitest";
import { parseTree, readCommitTree } from "../../../agents/git/commit-tree.js";
import { blobId } from "../../../agents/objects/blob-id.js";

test("every file of the commit with its mode and blob id (the object store's id), its subject, deploy.yaml's id", async () => {
	const dir = await mkdtemp(join(tmpdir(), "commit-tree-"));
	try {
		const git = (...args: string[]) => execa("git", ["-c", "user.name=T", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false", ...args], { cwd: dir });
		await git("init", "-q", "-b", "main");
		await writeFile(join(dir, "deploy.yaml"), "app: shop\n");
		await writeFile(join(dir, "run.sh"), "#!/bin/sh\n", { mode: 0o755 });
		await symlink("run.sh", join(dir, "link"));
		await git("add", ".");
		await git("commit", "-q", "-m", "First line\n\nbody");
		const head = (await git("rev-parse", "HEAD")).stdout;
		const tree = await readCommitTree(dir, {}, head);
		assert.deepEqual(
			[...tree.manifest].sort((x, y) => x.path.localeCompare(y.path)),
			[
				{ path: "deploy.yaml", mode: "100644", id: blobId(Buffer.from("app: shop\n")) },
				{ path: "link", mode: "120000", id: blobId(Buffer.from("run.sh")) },
				{ path: "run.sh", mode: "100755", id: blobId(Buffer.from("#!/bin/sh\n")) },
			],
		);
		assert.equal(tree.subject, "First line");
		assert.equal(tree.configId, blobId(Buffer.from("app: shop\n")));
	} finally {
		await rm(dir, { recursive: true, force: true });
	}
});

test("a submodule is a gitlink (its path and pinned commit), not a file of the manifest", () => {
	const listing = `160000 commit ${"c".repeat(40)}\tvendor/lib\u0000100644 blob ${"d".repeat(40)}\tindex.js\u0000`;
	assert.deepEqual(parseTree(listing), { manifest: [{ path: "index.js", mode: "100644", id: "d".repeat(40) }], configId: null, gitlinks: [{ path: "vendor/lib", commit: "c".repeat(40) }] });
});
