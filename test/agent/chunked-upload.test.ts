// objects.write, straight over RPC to a real daemon: a large file in chunks (some
// deflated, some raw) is stored under its id; a file whose bytes do not match its id,
// a chunk out of order and a file over DEPLOY_AGENT_MAX_OBJECT_MB are refused with
// nothing stored; a connection that closes mid-file leaves no temp file behind.
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { after, before, describe, test } from "node:test";
import { deflateRawSync } from "node:zlib";
import { type Bridge, connectBridge, installAgent, rejectsWithCode } from "./harness.js";

const KIB = 1024;
const blobId = (content: Buffer) => createHash("sha1").update(`blob ${content.length}\0`).update(content).digest("hex");

function storeEntries(home: string): string[] {
	const objects = join(home, "objects");
	if (!existsSync(objects)) return [];
	return readdirSync(objects).flatMap((prefix) => readdirSync(join(objects, prefix)).map((name) => `${prefix}/${name}`));
}

/** The chunks of `content` as the client sends them: 256 KiB each, the even ones deflated. */
function chunks(content: Buffer, id = blobId(content)) {
	const list = [];
	for (let offset = 0, i = 0; offset < content.length; offset += 256 * KIB, i++) {
		const raw = content.subarray(offset, offset + 256 * KIB);
		const deflated = i % 2 === 0;
		list.push({ id, size: content.length, offset, data: (deflated ? deflateRawSync(raw) : raw).toString("base64"), deflated });
	}
	return list;
}

describe("objects.write, over RPC to a real daemon", () => {
	let home: string;
	let agentPath: string;
	let bridge: Bridge;

	before(async () => {
		home = await mkdtemp(join(tmpdir(), "deploy-chunked-upload-"));
		agentPath = installAgent(home);
		bridge = connectBridge(agentPath, home, { DEPLOY_AGENT_MAX_OBJECT_MB: "2" });
		await bridge.rpc.call("hello", { client: "test" });
	});

	after(async () => {
		await bridge.rpc.call("shutdown", {}).catch(() => undefined);
		await bridge.close();
		await rm(home, { recursive: true, force: true });
	});

	test("a file in chunks, sent all at once, is stored under its id with the same bytes", async () => {
		const content = Buffer.concat([randomBytes(600 * KIB), Buffer.alloc(400 * KIB, "a")]);
		const id = blobId(content);
		const answers = await Promise.all(chunks(content).map((chunk) => bridge.rpc.call("objects.write", chunk)));
		assert.deepEqual(
			answers.map((a) => a.stored),
			[false, false, false, true],
		);
		assert.deepEqual(readFileSync(join(home, "objects", id.slice(0, 2), id.slice(2))), content);
		assert.deepEqual((await bridge.rpc.call("objects.missing", { ids: [id] })).missing, []);
		assert.deepEqual(
			storeEntries(home).filter((name) => name.endsWith(".tmp")),
			[],
		);
	});

	test("bytes that do not match the id: OBJECT_CORRUPT at the last chunk, nothing stored", async () => {
		const content = randomBytes(300 * KIB);
		const claimed = blobId(randomBytes(300 * KIB));
		const [first, last] = chunks(content, claimed);
		await bridge.rpc.call("objects.write", first!);
		const error = await rejectsWithCode(bridge.rpc.call("objects.write", last!), "OBJECT_CORRUPT");
		assert.match(error.message, /does not match its content/);
		assert.ok(!storeEntries(home).some((name) => name.replace("/", "") === claimed || name.endsWith(".tmp")));
	});

	test("a chunk out of order, or a file over DEPLOY_AGENT_MAX_OBJECT_MB: refused, nothing written", async () => {
		const content = randomBytes(600 * KIB);
		const [, second] = chunks(content);
		await rejectsWithCode(bridge.rpc.call("objects.write", second!), "OBJECT_CORRUPT");
		const before = storeEntries(home).sort();
		const error = await rejectsWithCode(bridge.rpc.call("objects.write", { id: blobId(Buffer.alloc(3 * 1024 * KIB)), size: 3 * 1024 * KIB, offset: 0, data: "", deflated: false }), "OBJECT_TOO_LARGE");
		assert.match(error.message, /larger than 2 MiB.*DEPLOY_AGENT_MAX_OBJECT_MB/);
		assert.deepEqual(storeEntries(home).sort(), before);
	});

	test("a connection that closes in the middle of a file leaves no temp file", async () => {
		const other = connectBridge(agentPath, home);
		const content = randomBytes(900 * KIB);
		const [first] = chunks(content);
		await other.rpc.call("objects.write", first!);
		assert.ok(storeEntries(home).some((name) => name.endsWith(".tmp")), "the file is on disk while it arrives");
		await other.close();
		for (let i = 0; i < 100 && storeEntries(home).some((name) => name.endsWith(".tmp")); i++) await sleep(50);
		assert.deepEqual(
			storeEntries(home).filter((name) => name.endsWith(".tmp")),
			[],
		);
		assert.deepEqual((await bridge.rpc.call("objects.missing", { ids: [blobId(content)] })).missing, [blobId(content)]);
	});
});
