// Issue 17, item 5: a large file's chunks over HTTPS come as separate requests, which may
// overtake one another. Against a real object store on disk: chunks that come out of
// order are written in order and the file is stored under its id; an upload abandoned
// mid-file (an interrupted CI job) is dropped after its idle timeout (a short one here)
// with its temp file, and a chunk waiting for an earlier one that never comes fails;
// one caller cannot continue another's file; DEPLOY_AGENT_MAX_OBJECT_MB holds.
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { readdir, rm } from "node:fs/promises";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { deflateRawSync } from "node:zlib";
import { afterEach, beforeEach, describe, test } from "vitest";
import { UploadsAcrossRequests } from "../../../agents/objects/uploads-across-requests.js";
import { ObjectStore } from "../../../agents/objects/store.js";
import type { DeployError } from "../../../core/protocol/errors.js";

const KIB = 1024;
const IDLE_MS = 150;
const blobId = (content: Buffer) => createHash("sha1").update(`blob ${content.length}\0`).update(content).digest("hex");

/** The file in 256 KiB chunks as the client cuts them, the odd ones deflated. */
function chunksOf(content: Buffer) {
	const id = blobId(content);
	const list = [];
	for (let offset = 0, i = 0; offset < content.length; offset += 256 * KIB, i++) {
		const raw = content.subarray(offset, offset + 256 * KIB);
		const deflated = i % 2 === 1;
		list.push({ id, size: content.length, offset, deflated, pieces: [deflated ? deflateRawSync(raw) : Buffer.from(raw)] });
	}
	return list;
}

/** Every file under the store's folder (objects and temp files alike). */
async function filesIn(dir: string): Promise<string[]> {
	const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
	return entries.filter((entry) => entry.isFile()).map((entry) => entry.name);
}

describe("a large file's chunks kept across requests", () => {
	let dir: string;
	let store: ObjectStore;
	let uploads: UploadsAcrossRequests;
	beforeEach(async () => {
		dir = await mkdtemp(join(tmpdir(), "uploads-across-"));
		store = new ObjectStore(join(dir, "objects"));
		uploads = new UploadsAcrossRequests({ store, maxObjectBytes: 2 * 1024 * KIB, idleMs: IDLE_MS });
	});
	afterEach(async () => {
		await uploads.close();
		await rm(dir, { recursive: true, force: true });
	});

	test("chunks that overtake one another are written in order; the file is stored under its id, byte for byte", async () => {
		const content = Buffer.concat([randomBytes(600 * KIB), Buffer.alloc(400 * KIB, "a")]);
		const [first, second, third, fourth] = chunksOf(content);
		const sink = uploads.sinkFor("key:ci");
		// The last chunks come first; each waits for the one before it.
		const answers = Promise.all([sink.write(fourth!), sink.write(third!), sink.write(second!)]);
		await sleep(20);
		assert.equal(await store.has(first!.id), false);
		const firstAnswer = await sink.write(first!);
		assert.deepEqual(firstAnswer, { received: 256 * KIB, stored: false });
		const later = await answers;
		assert.deepEqual(later[0], { received: content.length, stored: true });
		assert.ok((await store.read(first!.id)).equals(content));
		assert.equal(uploads.pending, 0);
	});

	test("an upload abandoned mid-file is dropped after its idle timeout, temp file and all; a chunk waiting for it fails", async () => {
		const content = randomBytes(900 * KIB);
		const [first, , third] = chunksOf(content);
		const sink = uploads.sinkFor("key:ci");
		await sink.write(first!);
		const waiting = sink.write(third!);
		assert.equal(uploads.pending, 1);
		assert.ok((await filesIn(dir)).some((name) => name.endsWith(".tmp")), "the unfinished file is on disk while it is being sent");
		await assert.rejects(waiting, (error: DeployError) => error.code === "UPLOAD_ABANDONED" && /Run the deploy again/.test(error.hint ?? ""));
		assert.equal(uploads.pending, 0);
		assert.deepEqual(await filesIn(dir), [], "nothing is left behind");
		assert.equal(await store.has(first!.id), false);
	});

	test("a chunk keeps its file alive: one that comes before the timeout restarts it", async () => {
		const content = randomBytes(700 * KIB);
		const [first, second, third] = chunksOf(content);
		const sink = uploads.sinkFor("key:ci");
		await sink.write(first!);
		await sleep(IDLE_MS * 0.6);
		await sink.write(second!);
		await sleep(IDLE_MS * 0.6);
		assert.deepEqual(await sink.write(third!), { received: content.length, stored: true });
		assert.ok((await store.read(first!.id)).equals(content));
	});

	test("one caller cannot continue another's file; a chunk sent twice fails and drops the file", async () => {
		const content = randomBytes(600 * KIB);
		const [first, second] = chunksOf(content);
		await uploads.sinkFor("key:ci").write(first!);
		// Another key's chunk at offset 256 KiB waits for its own first chunk, which never comes.
		const others = uploads.sinkFor("key:other").write(second!);
		await assert.rejects(uploads.sinkFor("key:ci").write(first!), (error: DeployError) => error.code === "OBJECT_CORRUPT" && /twice/.test(error.message));
		await assert.rejects(others, (error: DeployError) => error.code === "UPLOAD_ABANDONED");
		assert.equal(uploads.pending, 0);
		assert.deepEqual(await filesIn(dir), []);
	});

	test("a file over the size limit (DEPLOY_AGENT_MAX_OBJECT_MB) is refused at its first chunk; nothing is kept", async () => {
		const content = randomBytes(3 * 1024 * KIB);
		const [first] = chunksOf(content);
		await assert.rejects(uploads.sinkFor("key:ci").write(first!), (error: DeployError) => error.code === "OBJECT_TOO_LARGE");
		assert.equal(uploads.pending, 0);
		assert.deepEqual(await filesIn(dir), []);
	});
});
