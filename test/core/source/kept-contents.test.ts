// Issue 14, item 1: a first upload sends small files' bytes as the snapshot read and
// hashed them (core/source/kept-contents.ts) instead of reading each file again. Seen
// from outside: after the snapshot, a kept file's bytes come back even once the file
// is gone from the disk (a re-read would say SOURCE_CHANGED), and only small files,
// only files the snapshot read, and only until the upload is over are kept.
import assert from "node:assert/strict";
import { mkdtemp, rm, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeEach, describe, test } from "vitest";
import { DeployError } from "../../../core/protocol/index.js";
import { KEEP_FILE_BYTES, KeptContents } from "../../../core/source/kept-contents.js";
import { snapshotSource } from "../../../core/source/index.js";
import { settleStatCache } from "../../helpers/stat-cache.js";

const roots: string[] = [];
afterAll(() => Promise.all(roots.map((dir) => rm(dir, { recursive: true, force: true }))));

async function rejectsWithCode(promise: Promise<unknown>, code: string): Promise<void> {
	await assert.rejects(promise, (error: unknown) => error instanceof DeployError && error.code === code);
}

describe("small files' bytes kept from the snapshot for the upload", () => {
	let dir: string;
	let cacheDir: string;
	const small = Buffer.from("small file\n");
	const large = Buffer.alloc(KEEP_FILE_BYTES + 1, "L");
	const idOf = (snap: Awaited<ReturnType<typeof snapshotSource>>, path: string) => snap.manifest.find((entry) => entry.path === path)!.id;

	beforeEach(async () => {
		dir = await mkdtemp(join(tmpdir(), "deploy-kept-"));
		cacheDir = await mkdtemp(join(tmpdir(), "deploy-kept-home-"));
		roots.push(dir, cacheDir);
		await writeFile(join(dir, "small.txt"), small);
		await writeFile(join(dir, "large.bin"), large);
	});

	test("a small file read by the snapshot is sent from memory, once, as it was hashed", async () => {
		const snap = await snapshotSource(dir, { statCacheDir: cacheDir });
		// Deleted after the snapshot: only the kept bytes can still answer.
		await unlink(join(dir, "small.txt"));
		assert.deepEqual(await snap.readObject(idOf(snap, "small.txt")), small);
		// Taken once, dropped: a second read goes to the disk, where the file is gone.
		await rejectsWithCode(snap.readObject(idOf(snap, "small.txt")), "SOURCE_CHANGED");
	});

	test("a file rewritten after the snapshot is sent as the snapshot hashed it, never under another content's id", async () => {
		const snap = await snapshotSource(dir);
		await writeFile(join(dir, "small.txt"), "SMALL FILE\n");
		const id = idOf(snap, "small.txt");
		const sent = await snap.readObject(id);
		assert.deepEqual(sent, small);
		assert.equal(id, (await import("../../../core/source/blob.js")).blobId(sent));
	});

	test("a file over the per-file size is not kept: it is read again, and a change is still caught", async () => {
		const snap = await snapshotSource(dir);
		await writeFile(join(dir, "large.bin"), Buffer.alloc(KEEP_FILE_BYTES + 1, "M"));
		await rejectsWithCode(snap.readObject(idOf(snap, "large.bin")), "SOURCE_CHANGED");
	});

	test("once the upload drops what it did not take, nothing is kept", async () => {
		const snap = await snapshotSource(dir);
		snap.dropKept();
		await unlink(join(dir, "small.txt"));
		await rejectsWithCode(snap.readObject(idOf(snap, "small.txt")), "SOURCE_CHANGED");
	});

	test("a redeploy whose stat cache spares the reads keeps nothing (it reads only what it sends)", async () => {
		await snapshotSource(dir, { statCacheDir: cacheDir });
		// The cache made trustworthy, as minutes later (within 2 s a file is read again, "racily clean").
		await settleStatCache(cacheDir);
		const again = await snapshotSource(dir, { statCacheDir: cacheDir });
		await unlink(join(dir, "small.txt"));
		await rejectsWithCode(again.readObject(idOf(again, "small.txt")), "SOURCE_CHANGED");
	});
});

describe("KeptContents", () => {
	test("keeps files up to the per-file size while the total has room, and frees what is taken", () => {
		const kept = new KeptContents(4, 6);
		kept.offer("a", Buffer.from("1234"));
		kept.offer("b", Buffer.from("12345"));
		kept.offer("c", Buffer.from("12"));
		kept.offer("d", Buffer.from("1"));
		assert.equal(kept.keptBytes, 6, "a and c fit; b is too large, d past the total");
		assert.equal(kept.take("b"), undefined);
		assert.equal(kept.take("d"), undefined);
		assert.deepEqual(kept.take("a"), Buffer.from("1234"));
		assert.equal(kept.keptBytes, 2);
		kept.offer("d", Buffer.from("1"));
		assert.equal(kept.keptBytes, 3, "room freed by a take is used again");
		kept.clear();
		assert.equal(kept.take("c"), undefined);
		assert.equal(kept.keptBytes, 0);
	});
});
