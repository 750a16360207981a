// objects.write, straight over RPC to a real daemon: a large file in chunks (some
// deflated, some raw), each the raw binary part after its call's line, is stored under
// its id byte for byte, even bytes that look like the protocol's own lines; a file whose
// bytes do not match its id, a chunk out of order, a chunk that inflates past its
// bound and a file over DEPLOY_AGENT_MAX_OBJECT_MB are refused with nothing stored; a
// connection that closes mid-file, or in the middle of a chunk's bytes, leaves no temp
// file behind; a binary part where none belongs (or none where one must be) is refused
// and the calls after it are still read right.
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, test } from "vitest";
import { deflateRawSync } from "node:zlib";
import { CHUNK_BYTES } from "../../../core/protocol/index.js";
import { type Bridge, connectBridge, installAgent, rejectsWithCode } from "../../helpers/agent-harness.js";

const KIB = 1024;
const blobId = (content: Buffer) => createHash("sha1").update(`blob ${content.length}\0`).update(content).digest("hex");

function storeEntries(home: string): string[] {
	const objects = join(home, "objects");
	if (!existsSync(objects)) return [];
	return readdirSync(objects).flatMap((prefix) => readdirSync(join(objects, prefix)).map((name) => `${prefix}/${name}`));
}

/** The chunks of `content` as the client sends them: 256 KiB each, the even ones deflated (none when `allRaw`). */
function chunks(content: Buffer, id = blobId(content), allRaw = false) {
	const list = [];
	for (let offset = 0, i = 0; offset < content.length; offset += 256 * KIB, i++) {
		const raw = content.subarray(offset, offset + 256 * KIB);
		const deflated = !allRaw && i % 2 === 0;
		list.push({ params: { id, size: content.length, offset, deflated }, bytes: deflated ? deflateRawSync(raw) : Buffer.from(raw) });
	}
	return list;
}

type Chunk = ReturnType<typeof chunks>[number];
const write = (bridge: Bridge, chunk: Chunk) => bridge.rpc.callWithBytes("objects.write", chunk.params, chunk.bytes);

/**
 * Writes raw bytes on a bridge's stdin, past the RpcClient (which would never send
 * them wrong), and reads the agent's answers to ids of its own (9000 and up: the
 * RpcClient's own ids stay far below).
 */
function rawWire(bridge: Bridge) {
	const answers = new Map<number, unknown>();
	let buffered = "";
	bridge.child.stdout!.on("data", (chunk: Buffer) => {
		buffered += chunk.toString("utf8");
		const lines = buffered.split("\n");
		buffered = lines.pop()!;
		for (const line of lines) {
			const message = JSON.parse(line) as { id: number };
			if (message.id >= 9000) answers.set(message.id, message);
		}
	});
	return {
		send: (...pieces: (string | Buffer)[]) => {
			for (const piece of pieces) bridge.child.stdin!.write(piece);
		},
		answered: (id: number) => answers.has(id),
		async answer(id: number): Promise<{ result?: unknown; error?: { code: string; message: string } }> {
			while (!answers.has(id)) await sleep(20);
			return answers.get(id) as { result?: unknown; error?: { code: string; message: string } };
		},
	};
}

/** Raw deflate of `mib` MiB of zeros: a few KB that would inflate far past a chunk's bound. */
const zeros = (mib: number) => deflateRawSync(Buffer.alloc(mib * 1024 * KIB), { level: 9 });

describe("objects.write, over RPC to a real daemon", () => {
	let home: string;
	let agentPath: string;
	let bridge: Bridge;

	beforeAll(async () => {
		home = await mkdtemp(join(tmpdir(), "deploy-chunked-upload-"));
		agentPath = installAgent(home);
		bridge = connectBridge(agentPath, home, { DEPLOY_AGENT_MAX_OBJECT_MB: "2" });
		await bridge.rpc.call("hello", { client: "test" });
	});

	afterAll(async () => {
		await bridge.rpc.call("shutdown", {}).catch(() => undefined);
		await bridge.close();
		await rm(home, { recursive: true, force: true });
	});

	test("a file in chunks, sent all at once, is stored under its id with the same bytes", async () => {
		const content = Buffer.concat([randomBytes(600 * KIB), Buffer.alloc(400 * KIB, "a")]);
		const id = blobId(content);
		const answers = await Promise.all(chunks(content).map((chunk) => write(bridge, chunk)));
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
		await write(bridge, first!);
		const error = await rejectsWithCode(write(bridge, last!), "OBJECT_CORRUPT");
		assert.match(error.message, /does not match its content/);
		assert.ok(!storeEntries(home).some((name) => name.replace("/", "") === claimed || name.endsWith(".tmp")));
	});

	test("a chunk out of order, or a file over DEPLOY_AGENT_MAX_OBJECT_MB: refused, nothing written", async () => {
		const content = randomBytes(600 * KIB);
		const [, second] = chunks(content);
		await rejectsWithCode(write(bridge, second!), "OBJECT_CORRUPT");
		const before = storeEntries(home).sort();
		const error = await rejectsWithCode(bridge.rpc.callWithBytes("objects.write", { id: blobId(Buffer.alloc(3 * 1024 * KIB)), size: 3 * 1024 * KIB, offset: 0 }, Buffer.alloc(0)), "OBJECT_TOO_LARGE");
		assert.match(error.message, /larger than 2 MiB.*DEPLOY_AGENT_MAX_OBJECT_MB/);
		assert.deepEqual(storeEntries(home).sort(), before);
	});

	test("a connection that closes in the middle of a file leaves no temp file", async () => {
		const other = connectBridge(agentPath, home);
		const content = randomBytes(900 * KIB);
		const [first] = chunks(content);
		await write(other, first!);
		assert.ok(storeEntries(home).some((name) => name.endsWith(".tmp")), "the file is on disk while it arrives");
		await other.close();
		for (let i = 0; i < 100 && storeEntries(home).some((name) => name.endsWith(".tmp")); i++) await sleep(50);
		assert.deepEqual(
			storeEntries(home).filter((name) => name.endsWith(".tmp")),
			[],
		);
		assert.deepEqual((await bridge.rpc.call("objects.missing", { ids: [blobId(content)] })).missing, [blobId(content)]);
	});
	test("chunk bytes that look like the protocol's own lines are stored as they are, not read as calls", async () => {
		// Lines the agent would answer (ids of this test's own) if it took the bytes for lines; and every byte value.
		const lines = Buffer.from(`{"id":9100,"method":"hello","params":{"client":"x"}}\n{"id":9101,"cancel":true}\n\n`);
		const content = Buffer.concat([...Array.from({ length: 14_000 }, () => lines), Buffer.from(Array.from({ length: 256 }, (_, i) => i))]);
		assert.ok(content.length > 1024 * KIB, "a large file, in several chunks");
		const wire = rawWire(bridge);
		const answers = [];
		for (const chunk of chunks(content, blobId(content), true)) answers.push(await write(bridge, chunk));
		assert.equal(answers.at(-1)?.stored, true);
		const id = blobId(content);
		assert.deepEqual(readFileSync(join(home, "objects", id.slice(0, 2), id.slice(2))), content, "byte for byte");
		// Answered only if some of those bytes were taken for calls: the next call is answered, so any such answer would be here by now.
		await bridge.rpc.call("hello", { client: "test" });
		wire.send(`{"id":9102,"method":"hello","params":{"client":"test"}}\n`);
		await wire.answer(9102);
		assert.equal(wire.answered(9100), false, "no call was read out of a chunk's bytes");
	});

	test("a chunk that inflates past its bound (a compression bomb) is refused at once; nothing stored, the daemon still answers", async () => {
		const size = 1536 * KIB;
		const id = blobId(Buffer.alloc(size));
		const before = storeEntries(home).sort();
		const error = await rejectsWithCode(bridge.rpc.callWithBytes("objects.write", { id, size, offset: 0, deflated: true }, zeros(64)), "OBJECT_CORRUPT");
		assert.match(error.message, new RegExp(`not valid deflate data of at most ${CHUNK_BYTES} bytes`));
		assert.deepEqual(storeEntries(home).sort(), before, "no object and no temp file");
		assert.deepEqual((await bridge.rpc.call("objects.missing", { ids: [id] })).missing, [id]);
	});

	test("a connection that drops in the middle of a chunk's bytes leaves no temp file and no object", async () => {
		const other = connectBridge(agentPath, home);
		const content = randomBytes(900 * KIB);
		const [first, second] = chunks(content, blobId(content), true);
		await write(other, first!);
		// The second chunk's line and half its bytes: then the connection goes.
		rawWire(other).send(`${JSON.stringify({ id: 9200, method: "objects.write", params: second!.params, bytes: second!.bytes.length })}\n`, second!.bytes.subarray(0, 100 * KIB));
		await other.close();
		for (let i = 0; i < 100 && storeEntries(home).some((name) => name.endsWith(".tmp")); i++) await sleep(50);
		assert.deepEqual(
			storeEntries(home).filter((name) => name.endsWith(".tmp")),
			[],
		);
		assert.deepEqual((await bridge.rpc.call("objects.missing", { ids: [blobId(content)] })).missing, [blobId(content)]);
	});

	test("a binary part where none belongs, or none where one must be: INVALID_PARAMS, and the calls after it are read right", async () => {
		const other = connectBridge(agentPath, home);
		const wire = rawWire(other);
		wire.send(`{"id":9300,"method":"hello","params":{"client":"test"},"bytes":5}\n`, "HELLO", `{"id":9301,"method":"hello","params":{"client":"test"}}\n`);
		const misplaced = await wire.answer(9300);
		assert.equal(misplaced.error?.code, "INVALID_PARAMS");
		assert.match(misplaced.error!.message, /hello: it takes no binary part/);
		assert.ok((await wire.answer(9301)).result, "the next line is a call again");

		const content = randomBytes(300 * KIB);
		wire.send(`${JSON.stringify({ id: 9302, method: "objects.write", params: { id: blobId(content), size: content.length, offset: 0 } })}\n`);
		const missing = await wire.answer(9302);
		assert.equal(missing.error?.code, "INVALID_PARAMS");
		assert.match(missing.error!.message, /objects\.write: it takes its data as a binary part/);
		await other.close();
	});

	test("a binary part longer than the protocol allows: the agent closes that connection, and only that one", async () => {
		const other = connectBridge(agentPath, home);
		const exited = new Promise((resolve) => other.child.once("exit", resolve));
		rawWire(other).send(`{"id":9400,"method":"hello","params":{"client":"test"},"bytes":${1024 ** 3}}\n`);
		await exited;
		assert.ok((await bridge.rpc.call("hello", { client: "test" })).agentVersion, "the daemon serves the other connections");
	});
});
