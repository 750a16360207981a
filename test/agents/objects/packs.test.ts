// The object store's packs on a real folder (agents/objects/packs.ts): an objects.put
// batch of many small files becomes one pack and its index, and every reader of the
// store (has, missing, read, readTail, copyTo, materialize, collection) reads packed
// objects as it reads loose ones. What that could get wrong: a byte off in a packed
// object, a pack collected while a kept release still names one of its objects, a pack
// a crash left half written reported present.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, stat, truncate, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, beforeEach, describe, test } from "vitest";
import { deflateRawSync } from "node:zlib";
import { materialize } from "../../../agents/deploy/materialize.js";
import type { ManifestEntry } from "../../../core/protocol/index.js";
import { type AgentHome, appPaths, resolveHome } from "../../../agents/home.js";
import { blobId } from "../../../agents/objects/blob-id.js";
import { collectObjects } from "../../../agents/objects/collect.js";
import { type PutBatch, putBatch } from "../../../agents/objects/put-batch.js";
import { ObjectStore, PACK_FROM } from "../../../agents/objects/store.js";

const MAX = 8 * 1024 * 1024;
const HOUR = 60 * 60 * 1000;
const repoRoot = resolve(import.meta.dirname, "../../..");

/** `count` small files of different sizes, each under its blob id. */
function smallFiles(count: number, tag: string): { id: string; content: Buffer }[] {
	return Array.from({ length: count }, (_, i) => {
		const content = Buffer.from(`${tag} ${i}\n${"x".repeat(i % 300)}\n`);
		return { id: blobId(content), content };
	});
}

/** An objects.put batch as the client sends it. */
function batchOf(files: { id: string; content: Buffer }[]): PutBatch {
	return { objects: files.map(({ id, content }) => ({ id, size: content.length })), data: deflateRawSync(Buffer.concat(files.map((f) => f.content))).toString("base64") };
}

/** The files in objects/pack/, pack names made alike. */
async function packFolder(store: ObjectStore): Promise<string[]> {
	if (!existsSync(store.packs.dir)) return [];
	return (await readdir(store.packs.dir)).map((name) => name.replace(/pack-[0-9a-z]+-[0-9a-f]+/, "pack-*")).sort();
}

/** Every loose object file (objects/<2 hex>/...). */
async function looseFiles(store: ObjectStore): Promise<string[]> {
	if (!existsSync(store.dir)) return [];
	const out: string[] = [];
	for (const prefix of await readdir(store.dir)) if (/^[0-9a-f]{2}$/.test(prefix)) out.push(...(await readdir(join(store.dir, prefix))));
	return out;
}

/** Sets every file in objects/pack/ back by `ageMs`. */
async function age(store: ObjectStore, ageMs: number): Promise<void> {
	const when = new Date(Date.now() - ageMs);
	for (const name of await readdir(store.packs.dir)) await utimes(join(store.packs.dir, name), when, when);
}

describe("object packs", () => {
	let dir: string;
	let home: AgentHome;
	let store: ObjectStore;

	const keepRelease = async (app: string, release: string, ids: string[]) => {
		const paths = appPaths(home, app);
		await mkdir(paths.releases, { recursive: true });
		await writeFile(paths.releaseManifest(release), JSON.stringify(ids.map((id, i) => ({ path: `f${i}`, mode: "100644", id }))));
	};

	/** Stores a batch as an upload whose connection then closed: no lease holds it any more. */
	const uploadEnded = async (files: { id: string; content: Buffer }[]) => {
		const lease = store.leases.open();
		await putBatch(store, batchOf(files), MAX, lease);
		lease.release();
	};

	beforeEach(async () => {
		dir = await mkdtemp(join(tmpdir(), "deploy-packs-"));
		home = resolveHome({ DEPLOY_AGENT_HOME: dir });
		store = new ObjectStore(home.objects);
	});
	afterEach(() => rm(dir, { recursive: true, force: true }));

	test("a batch of many files is one pack and its index; has, missing, read, readTail and copyTo give each object byte for byte, also after a restart", async () => {
		const empty = Buffer.alloc(0);
		const files = [{ id: blobId(empty), content: empty }, ...smallFiles(499, "packed")];
		await putBatch(store, batchOf(files), MAX, store.leases.open());
		assert.deepEqual(await packFolder(store), ["pack-*.idx", "pack-*.pack"]);
		assert.deepEqual(await looseFiles(store), [], "no loose object");
		const absent = blobId(Buffer.from("never uploaded"));

		// The daemon starts again: what it knows comes from the index on disk.
		for (const reader of [store, new ObjectStore(home.objects)]) {
			assert.deepEqual(await reader.missing([absent, ...files.map((f) => f.id)]), [absent]);
			for (const { id, content } of files) {
				assert.equal(await reader.has(id), true);
				assert.deepEqual(await reader.read(id), content, id);
				assert.deepEqual(await reader.readTail(id, 7), content.subarray(Math.max(0, content.length - 7)), id);
			}
			assert.equal(await reader.has(absent), false);
			const one = files[123] as (typeof files)[number];
			const target = join(dir, `copy-${reader === store ? "first" : "restarted"}`);
			await reader.copyTo(one.id, target);
			assert.deepEqual(await readFile(target), one.content);
		}
	});

	test("a small batch stays loose (each object collectable alone); a batch of objects already packed writes no second pack", async () => {
		const few = smallFiles(PACK_FROM - 1, "few");
		await putBatch(store, batchOf(few), MAX, store.leases.open());
		assert.deepEqual(await packFolder(store), []);
		assert.equal((await looseFiles(store)).length, PACK_FROM - 1);

		const many = smallFiles(PACK_FROM * 2, "many");
		await putBatch(store, batchOf(many), MAX, store.leases.open());
		await putBatch(store, batchOf(many), MAX, store.leases.open());
		assert.deepEqual(await packFolder(store), ["pack-*.idx", "pack-*.pack"]);
	});

	test("materialize writes a release from packed and loose objects byte for byte, with the owner's modes", async () => {
		const packed = smallFiles(300, "release");
		await putBatch(store, batchOf(packed), MAX, store.leases.open());
		const script = Buffer.from("#!/bin/sh\necho loose\n");
		await store.put(blobId(script), script);
		const linkTarget = Buffer.from("docs/f1.md");
		await store.put(blobId(linkTarget), linkTarget);
		const manifest: ManifestEntry[] = [
			...packed.map(({ id }, i) => ({ path: `docs/f${i}.md`, mode: "100644" as const, id })),
			{ path: "bin/run.sh", mode: "100755" as const, id: blobId(script) },
			{ path: "latest.md", mode: "120000" as const, id: blobId(linkTarget) },
		];
		const root = join(dir, "release");
		await materialize(root, manifest, new ObjectStore(home.objects));
		for (const [i, { content }] of packed.entries()) {
			assert.deepEqual(await readFile(join(root, `docs/f${i}.md`)), content, `docs/f${i}.md`);
			assert.equal((await stat(join(root, `docs/f${i}.md`))).mode & 0o777, 0o600);
		}
		assert.deepEqual(await readFile(join(root, "bin/run.sh")), script);
		assert.equal((await stat(join(root, "bin/run.sh"))).mode & 0o777, 0o700);
		assert.deepEqual(await readFile(join(root, "latest.md")), packed[1]?.content);
		// A packed object a release names twice, and a file already there: the error names the path, as for loose objects.
		await assert.rejects(materialize(join(dir, "twice"), [manifest[5] as ManifestEntry, { ...(manifest[5] as ManifestEntry), path: "docs/f5.md" }], store), /Cannot write docs\/f5\.md into the release: EEXIST/);
	});

	test("collection keeps a pack whole while kept releases name most of it (all of its objects readable), a lease holds one of them or it is young; drops it once none does", async () => {
		const named = smallFiles(100, "named by a kept release");
		const unnamed = smallFiles(100, "named by a pruned release");
		const held = smallFiles(100, "held by an upload");
		for (const files of [named, unnamed, held]) await uploadEnded(files);
		await age(store, 2 * HOUR);
		const upload = store.leases.open();
		upload.add([(held[7] as (typeof held)[number]).id]);
		// Named but for ten: the pack stays whole, those ten with it.
		await keepRelease("web", "d1", named.slice(10).map((f) => f.id));

		const dry = await collectObjects(home, store, { graceMs: HOUR, dryRun: true });
		assert.deepEqual(dry.unused, { objects: 100, bytes: unnamed.reduce((sum, f) => sum + f.content.length, 0) });
		assert.equal(dry.store.objects, 300);
		assert.deepEqual(await store.missing(unnamed.map((f) => f.id)), [], "a dry run removes nothing");

		const run = await collectObjects(home, store, { graceMs: HOUR });
		assert.equal(run.unused.objects, 100);
		assert.equal(run.store.objects, 200);
		assert.deepEqual(await store.missing(unnamed.map((f) => f.id)), unnamed.map((f) => f.id));
		assert.deepEqual(await store.missing([...named, ...held].map((f) => f.id)), []);
		for (const { id, content } of named) assert.deepEqual(await store.read(id), content);
		assert.equal((await packFolder(store)).length, 4, "two packs and their indexes left");

		// The upload ended without a deploy, and the release was pruned: both packs go; a new one within the grace stays.
		upload.release();
		await keepRelease("web", "d1", []);
		const young = smallFiles(100, "just uploaded");
		await uploadEnded(young);
		await collectObjects(home, store, { graceMs: HOUR });
		assert.deepEqual(await packFolder(store), ["pack-*.idx", "pack-*.pack"]);
		assert.deepEqual(await new ObjectStore(home.objects).missing([...named, ...held, ...young].map((f) => f.id)), [...named, ...held].map((f) => f.id));
	});

	test("a pack whose named objects take less than half of it is repacked: they stay, byte for byte, in a pack of their own, the rest goes; not while one of its objects is held", async () => {
		const files = smallFiles(100, "mostly pruned");
		await uploadEnded(files);
		await age(store, 2 * HOUR);
		const named = files.slice(0, 10);
		await keepRelease("web", "d1", named.map((f) => f.id));
		const bytes = (list: typeof files) => list.reduce((sum, f) => sum + f.content.length, 0);

		// A deploy holds one of its objects: the pack stays as it is.
		const deploy = store.leases.open();
		deploy.add([(files[50] as (typeof files)[number]).id]);
		await collectObjects(home, store, { graceMs: HOUR });
		assert.deepEqual(await store.missing(files.map((f) => f.id)), []);
		deploy.release();

		const dry = await collectObjects(home, store, { graceMs: HOUR, dryRun: true });
		assert.deepEqual(dry.unused, { objects: 90, bytes: bytes(files.slice(10)) });
		const run = await collectObjects(home, store, { graceMs: HOUR });
		assert.deepEqual(run.unused, { objects: 90, bytes: bytes(files.slice(10)) });
		assert.deepEqual(run.store, { objects: 10, bytes: bytes(named) });
		assert.deepEqual(await packFolder(store), ["pack-*.idx", "pack-*.pack"]);
		assert.equal((await stat(join(store.packs.dir, (await readdir(store.packs.dir)).find((n) => n.endsWith(".pack")) as string))).size, bytes(named));
		for (const reader of [store, new ObjectStore(home.objects)]) {
			assert.deepEqual(await reader.missing(files.map((f) => f.id)), files.slice(10).map((f) => f.id));
			for (const { id, content } of named) assert.deepEqual(await reader.read(id), content);
		}
	});

	test("what a crash leaves (temp files, a pack without its index, an index cut short) is never read; the upload stores it again; collection removes the leftovers once stale", async () => {
		const files = smallFiles(200, "crash");
		await mkdir(store.packs.dir, { recursive: true });
		const whole = Buffer.concat(files.map((f) => f.content));
		// Killed before the renames: temp files. Between them: a pack without its index.
		await writeFile(join(store.packs.dir, ".pack-a-1.pack.tmp"), whole.subarray(0, 100));
		await writeFile(join(store.packs.dir, "pack-b-2.pack"), whole);
		// An index that lost its end (a disk that lied about the flush).
		const other = new ObjectStore(join(dir, "other"));
		await putBatch(other, batchOf(files), MAX, other.leases.open());
		const [index] = (await readdir(other.packs.dir)).filter((name) => name.endsWith(".idx"));
		await writeFile(join(store.packs.dir, "pack-c-3.pack"), whole);
		await writeFile(join(store.packs.dir, "pack-c-3.idx"), await readFile(join(other.packs.dir, index as string)));
		await truncate(join(store.packs.dir, "pack-c-3.idx"), 100);

		const restarted = new ObjectStore(home.objects);
		const ids = files.map((f) => f.id);
		assert.deepEqual(await restarted.missing(ids), ids);
		await assert.rejects(restarted.read(ids[1] as string), { code: "ENOENT" });

		await putBatch(restarted, batchOf(files), MAX, restarted.leases.open());
		for (const { id, content } of files) assert.deepEqual(await restarted.read(id), content);
		await keepRelease("web", "d1", ids);
		// Fresh leftovers may be a write in progress: they stay.
		await collectObjects(home, restarted, { graceMs: 0 });
		assert.equal((await packFolder(restarted)).length, 6);
		await age(restarted, 2 * HOUR);
		await collectObjects(home, restarted, { graceMs: 0 });
		assert.deepEqual(await packFolder(restarted), ["pack-*.idx", "pack-*.pack"]);
		assert.deepEqual(await new ObjectStore(home.objects).missing(ids), []);
	});

	test("a daemon killed while it writes packs leaves a store whose every present object is whole", async () => {
		// A real process storing batches of 2,000 files in a loop, SIGKILLed as soon as a
		// pack's temp file appears: somewhere in its write, flush or renames.
		const child = join(dir, "writer.mts");
		await writeFile(
			child,
			`import { deflateRawSync } from "node:zlib";
import { blobId } from ${JSON.stringify(join(repoRoot, "agents/objects/blob-id.ts"))};
import { putBatch } from ${JSON.stringify(join(repoRoot, "agents/objects/put-batch.ts"))};
import { ObjectStore } from ${JSON.stringify(join(repoRoot, "agents/objects/store.ts"))};
const store = new ObjectStore(${JSON.stringify(home.objects)});
for (let round = 0; ; round++) {
	const files = Array.from({ length: 2000 }, (_, i) => Buffer.from(round + " " + i + " " + "y".repeat(3000)));
	await putBatch(store, { objects: files.map((c) => ({ id: blobId(c), size: c.length })), data: deflateRawSync(Buffer.concat(files)).toString("base64") }, ${MAX}, store.leases.open());
}
`,
		);
		const writer = spawn(process.execPath, ["--import", "tsx", child], { cwd: repoRoot, stdio: ["ignore", "ignore", "pipe"] });
		let stderr = "";
		writer.stderr.on("data", (data) => {
			stderr += data;
		});
		const exited = new Promise((r) => writer.once("exit", r));
		try {
			let seen = false;
			for (let i = 0; i < 3000 && !seen; i++) {
				seen = existsSync(store.packs.dir) && (await readdir(store.packs.dir)).some((name) => name.endsWith(".tmp"));
				if (!seen) await new Promise((r) => setTimeout(r, 5));
			}
			assert.ok(seen, `the writer started a pack ${stderr}`);
		} finally {
			writer.kill("SIGKILL");
			await exited;
		}
		const restarted = new ObjectStore(home.objects);
		await restarted.packs.load();
		for (const pack of restarted.packs.list()) {
			for (const { id } of pack.entries) {
				assert.equal(blobId(await restarted.read(id)), id, "a present object is whole");
			}
		}
		// Every present object is found by missing too; a re-upload of a batch the kill cut stores it.
		const again = Array.from({ length: 2000 }, (_, i) => Buffer.from(`0 ${i} ${"y".repeat(3000)}`));
		const againIds = again.map((c) => blobId(c));
		const missing = await restarted.missing(againIds);
		assert.ok(missing.length === 0 || missing.length === againIds.length, "a batch is stored whole or not at all");
		await putBatch(restarted, { objects: again.map((c, i) => ({ id: againIds[i] as string, size: c.length })), data: deflateRawSync(Buffer.concat(again)).toString("base64") }, MAX, restarted.leases.open());
		assert.deepEqual(await restarted.missing(againIds), []);
	});
});
