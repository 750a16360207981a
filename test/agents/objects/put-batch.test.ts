// objects.put's store side on a real folder: a batch's objects are written without an
// fsync each and flushed once (agents/objects/write-batch.ts). What that could get
// wrong: storing part of a bad batch's bad object, reporting present what a crash
// left half written, losing the flush where `sync -f` is missing.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, test } from "vitest";
import { deflateRawSync } from "node:zlib";
import { type AgentHome, resolveHome } from "../../../agents/home.js";
import { blobId } from "../../../agents/objects/blob-id.js";
import { collectObjects } from "../../../agents/objects/collect.js";
import { type PutBatch, putBatch } from "../../../agents/objects/put-batch.js";
import { ObjectStore } from "../../../agents/objects/store.js";
import { DeployError } from "../../../core/protocol/index.js";

const MAX = 8 * 1024 * 1024;
const HOUR = 60 * 60 * 1000;

/** `count` small files, each under its blob id. */
function smallFiles(count: number, tag: string): { id: string; content: Buffer }[] {
	return Array.from({ length: count }, (_, i) => {
		const content = Buffer.from(`# Page ${i} (${tag})\n\nLorem ipsum dolor sit amet, ${i}\n`);
		return { id: blobId(content), content };
	});
}

/** An objects.put batch as the client sends it: ids and sizes, the contents as one deflate stream. */
function batchOf(files: { id: string; content: Buffer }[]): PutBatch {
	return { objects: files.map(({ id, content }) => ({ id, size: content.length })), data: deflateRawSync(Buffer.concat(files.map((f) => f.content))).toString("base64") };
}

/** Every file under the store, temp files included. */
async function allFiles(dir: string): Promise<string[]> {
	if (!existsSync(dir)) return [];
	const out: string[] = [];
	for (const prefix of await readdir(dir)) for (const name of await readdir(join(dir, prefix))) out.push(`${prefix}/${name}`);
	return out;
}

describe("objects.put batch write", () => {
	let dir: string;
	let home: AgentHome;
	let store: ObjectStore;

	beforeEach(async () => {
		dir = await mkdtemp(join(tmpdir(), "deploy-batch-write-"));
		home = resolveHome({ DEPLOY_AGENT_HOME: dir });
		store = new ObjectStore(home.objects);
	});
	afterEach(() => rm(dir, { recursive: true, force: true }));

	test("a batch of 3,000 files: each stored byte for byte under its id (in one pack and its index: two files, not 3,000), no temp file left", async () => {
		const files = smallFiles(3_000, "whole");
		await putBatch(store, batchOf(files), MAX, store.leases.open());
		for (const { id, content } of files) assert.deepEqual(await store.read(id), content, id);
		assert.deepEqual(await store.missing(files.map((f) => f.id)), []);
		const stored = await allFiles(store.dir);
		assert.deepEqual(stored.map((name) => name.replace(/pack-[^.]+/, "pack-*")).sort(), ["pack/pack-*.idx", "pack/pack-*.pack"]);
		assert.equal(
			stored.filter((name) => name.endsWith(".tmp")).length,
			0,
		);
	});

	test("objects.missing of 8,000 ids (a folder listed once, not an access() each): exactly the ones not stored, in their order; one being removed reads as missing", async () => {
		const files = smallFiles(8_000, "missing");
		const going = files[10] as (typeof files)[number];
		// Packed, but for the one being removed: a loose object is removed alone (a pack goes whole, packs.test.ts).
		const stored = files.filter((f, i) => i % 3 !== 0 && f !== going);
		// The upload that stored them is over: its lease is given back, so a collection may remove them.
		const upload = store.leases.open();
		for (let i = 0; i < stored.length; i += 2_000) await putBatch(store, batchOf(stored.slice(i, i + 2_000)), MAX, upload);
		await store.put(going.id, going.content, upload);
		upload.release();
		const removing = store.remove(going.id);
		const ids = files.map((f) => f.id);
		const expected = files.filter((f, i) => i % 3 === 0 || f.id === going.id).map((f) => f.id);
		assert.deepEqual(await store.missing([...ids, ...ids.slice(0, 10)], store.leases.open()), expected);
		assert.equal(await removing, true);
		// Every folder was asked about for more than a few ids: the listing, not access(), answered.
		const perFolder = new Map<string, number>();
		for (const id of ids) perFolder.set(id.slice(0, 2), (perFolder.get(id.slice(0, 2)) ?? 0) + 1);
		assert.ok(Math.min(...perFolder.values()) >= 16);
	});

	test("a batch with one corrupt object: the objects before it are stored, it and the ones after are not, its error names it", async () => {
		const files = smallFiles(10, "corrupt");
		const bad = files[4] as (typeof files)[number];
		// Another file's bytes under this id (the same size): what a damaged upload looks like.
		const damaged = [...files.slice(0, 4), { id: bad.id, content: Buffer.from(bad.content.toString().replace("Page 4", "Page 9")) }, ...files.slice(5)];
		await assert.rejects(putBatch(store, batchOf(damaged), MAX, store.leases.open()), (error: unknown) => error instanceof DeployError && error.code === "OBJECT_CORRUPT" && error.message.includes(bad.id));
		assert.deepEqual(await store.missing(files.map((f) => f.id)), files.slice(4).map((f) => f.id));
		for (const { id, content } of files.slice(0, 4)) assert.deepEqual(await readFile(store.pathOf(id)), content);
		assert.equal(existsSync(store.pathOf(bad.id)), false);
		assert.equal((await allFiles(store.dir)).filter((name) => name.endsWith(".tmp")).length, 0, "no temp file left");
	});

	test("a stream shorter than its sizes declare, or a size over the server's limit: refused with a clear error, nothing stored", async () => {
		const files = smallFiles(4, "sizes");
		const short = batchOf(files);
		short.objects = short.objects.map((object, i) => (i === 3 ? { ...object, size: object.size + 10 } : object));
		await assert.rejects(putBatch(store, short, MAX, store.leases.open()), (error: unknown) => error instanceof DeployError && error.code === "OBJECT_CORRUPT" && /inflates to \d+ bytes where its 4 files declare/.test(error.message));
		const big = batchOf(files);
		await assert.rejects(putBatch(store, big, 10, store.leases.open()), (error: unknown) => error instanceof DeployError && error.code === "OBJECT_TOO_LARGE" && error.message.includes((files[0] as (typeof files)[number]).id) && /DEPLOY_AGENT_MAX_OBJECT_MB/.test(error.hint ?? ""));
		assert.deepEqual(await allFiles(store.dir), []);
	});

	test("what a crash between write and flush leaves (temp files, half written) is never reported present; the upload stores it again; collection removes the leftovers", async () => {
		const files = smallFiles(3, "crash");
		// A crash after the temp files were written and before the flush and renames: the
		// temp files, one of them cut short, the objects' own names absent.
		for (const [i, { id, content }] of files.entries()) {
			await mkdir(join(store.dir, id.slice(0, 2)), { recursive: true });
			const temp = join(store.dir, id.slice(0, 2), `.${id.slice(2)}.0000000${i}.tmp`);
			await writeFile(temp, i === 0 ? content.subarray(0, 5) : content);
			await utimes(temp, new Date(Date.now() - 2 * HOUR), new Date(Date.now() - 2 * HOUR));
		}
		// The daemon starts again with the same folder.
		const restarted = new ObjectStore(home.objects);
		const ids = files.map((f) => f.id);
		assert.deepEqual(await restarted.missing(ids), ids);
		for (const id of ids) assert.equal(await restarted.has(id), false);

		await putBatch(restarted, batchOf(files), MAX, restarted.leases.open());
		for (const { id, content } of files) assert.deepEqual(await readFile(restarted.pathOf(id)), content);
		// The objects are held by no release: a collection with no grace would take them, so a lease holds them here.
		const holding = restarted.leases.open();
		holding.add(ids);
		await collectObjects(home, restarted, { graceMs: 0 });
		assert.deepEqual((await allFiles(restarted.dir)).sort(), ids.map((id) => `${id.slice(0, 2)}/${id.slice(2)}`).sort());
	});

	test("without `sync` on the PATH (no coreutils) each file is fsynced instead, and the batch is stored", async () => {
		const files = smallFiles(20, "no sync");
		const saved = process.env.PATH;
		// A folder with no programs: `sync -f` cannot run.
		process.env.PATH = dir;
		try {
			await putBatch(store, batchOf(files), MAX, store.leases.open());
		} finally {
			process.env.PATH = saved;
		}
		for (const { id, content } of files) assert.deepEqual(await readFile(store.pathOf(id)), content);
	});

	test("a batch that would leave the disk too full stores nothing (DISK_LOW), not even temp files", async () => {
		const saved = process.env.DEPLOY_AGENT_MIN_FREE_MB;
		process.env.DEPLOY_AGENT_MIN_FREE_MB = String(1024 ** 4);
		try {
			await assert.rejects(putBatch(store, batchOf(smallFiles(5, "full")), MAX, store.leases.open()), (error: unknown) => error instanceof DeployError && error.code === "DISK_LOW");
		} finally {
			if (saved === undefined) delete process.env.DEPLOY_AGENT_MIN_FREE_MB;
			else process.env.DEPLOY_AGENT_MIN_FREE_MB = saved;
		}
		assert.deepEqual(await allFiles(store.dir), []);
	});
});
