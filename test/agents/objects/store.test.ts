import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtemp, readFile, readlink, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "vitest";
import { deflateRawSync } from "node:zlib";
import { DeployError } from "../../../core/protocol/index.js";
import { materialize } from "../../../agents/deploy/materialize.js";
import { blobId, decodeObject } from "../../../agents/objects/blob-id.js";
import { ObjectStore } from "../../../agents/objects/store.js";

const isCode = (code: string) => (error: unknown) => error instanceof DeployError && error.code === code;

describe("object ids", () => {
	test("blobId is git's blob id", async () => {
		assert.equal(blobId(Buffer.from("")), "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391");
		assert.equal(blobId(Buffer.from("hello\n")), "ce013625030ba8dba906f756967f9e9ca394464a");
		const dir = await mkdtemp(join(tmpdir(), "deploy-blob-"));
		try {
			await writeFile(join(dir, "f"), "Hello from Deploy Platform\n");
			const fromGit = execFileSync("git", ["hash-object", join(dir, "f")], { encoding: "utf8" }).trim();
			assert.equal(blobId(Buffer.from("Hello from Deploy Platform\n")), fromGit);
		} finally {
			await rm(dir, { recursive: true, force: true });
		}
	});

	test("decodeObject returns the content when the id matches, OBJECT_CORRUPT otherwise", () => {
		const content = Buffer.from("hello\n");
		const data = deflateRawSync(content).toString("base64");
		assert.deepEqual(decodeObject("ce013625030ba8dba906f756967f9e9ca394464a", data), content);
		assert.throws(() => decodeObject("e69de29bb2d1d6434b8b29ae775ad8c2e48c5391", data), isCode("OBJECT_CORRUPT"));
		assert.throws(() => decodeObject("ce013625030ba8dba906f756967f9e9ca394464a", "bm90IGRlZmxhdGU="), isCode("OBJECT_CORRUPT"));
	});
});

describe("materialize", () => {
	const withStore = async (fn: (store: ObjectStore, root: string, put: (text: string) => Promise<string>) => Promise<void>) => {
		const dir = await mkdtemp(join(tmpdir(), "deploy-release-"));
		const store = new ObjectStore(join(dir, "objects"));
		const put = async (text: string) => {
			const id = blobId(Buffer.from(text));
			await store.put(id, Buffer.from(text));
			return id;
		};
		try {
			await fn(store, join(dir, "release"), put);
		} finally {
			await rm(dir, { recursive: true, force: true });
		}
	};

	test("writes files with their modes, the owner's alone (issue 13), and symlinks with their targets", () =>
		withStore(async (store, root, put) => {
			const script = await put("#!/bin/sh\necho hi\n");
			const target = await put("bin/run.sh");
			const secret = await put("TOKEN=s3cret\n");
			await materialize(root, [
				{ path: "bin/run.sh", mode: "100755", id: script },
				{ path: "config.env", mode: "100644", id: secret },
				{ path: "run", mode: "120000", id: target },
			], store);
			assert.equal(await readFile(join(root, "bin/run.sh"), "utf8"), "#!/bin/sh\necho hi\n");
			assert.equal((await stat(join(root, "bin/run.sh"))).mode & 0o777, 0o700);
			assert.equal((await stat(join(root, "config.env"))).mode & 0o777, 0o600);
			assert.equal(await readlink(join(root, "run")), "bin/run.sh");
		}));

	test("a symlink pointing out of the release is refused", () =>
		withStore(async (store, root, put) => {
			const outside = await put("../../etc/passwd");
			await assert.rejects(materialize(root, [{ path: "a/link", mode: "120000", id: outside }], store), isCode("MANIFEST_INVALID"));
			const absolute = await put("/etc");
			await assert.rejects(materialize(`${root}2`, [{ path: "etc", mode: "120000", id: absolute }], store), isCode("MANIFEST_INVALID"));
		}));

	test("a file cannot be written through a symlink of the same manifest", () =>
		withStore(async (store, root, put) => {
			const here = await put(".");
			const text = await put("x");
			await assert.rejects(
				materialize(root, [
					{ path: "sub", mode: "120000", id: here },
					{ path: "sub/file", mode: "100644", id: text },
				], store),
				isCode("MANIFEST_INVALID"),
			);
		}));
});
