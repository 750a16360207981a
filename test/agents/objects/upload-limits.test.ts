// What an upload may cost the server, straight over RPC to a real daemon: a
// compression bomb (1 MB that inflates to 1 GiB) through objects.put and through a
// redeploy's inline contents, and a tree over the file limit. Each is refused with a
// clear error, the daemon stays small and keeps answering, and nothing is stored.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, test } from "vitest";
import { constants, deflateRawSync } from "node:zlib";
import { DeployError, packObjects } from "../../../core/protocol/index.js";
import { diffManifest } from "../../../core/protocol/manifest.js";
import { blobId, decodeObject } from "../../../agents/objects/blob-id.js";
import { type Bridge, connectBridge, freePort, installAgent, killGroup, recordedPids, rejectsWithCode, repoRoot, snapshot, upload } from "../../helpers/agent-harness.js";

const GIB = 1024 ** 3;
const MIB = 1024 ** 2;
const app = { name: "hello", processes: {}, env: {}, domains: [] };

/**
 * Raw deflate of `mib` MiB of zeros, about 1 KB per MiB. Each MiB is deflated once
 * with a full flush (a block that needs nothing before it), repeated, and closed by
 * an empty final block: the same bytes a deflater would write, without deflating a GiB.
 */
function zeroBomb(mib: number): { id: string; data: string } {
	const block = deflateRawSync(Buffer.alloc(MIB), { level: 9, finishFlush: constants.Z_FULL_FLUSH });
	const data = Buffer.concat([...Array.from({ length: mib }, () => block), Buffer.from([0x03, 0x00])]);
	// Its real blob id: the only thing wrong with this object is its size.
	const hash = createHash("sha1").update(`blob ${mib * MIB}\0`);
	const zeros = Buffer.alloc(MIB);
	for (let i = 0; i < mib; i++) hash.update(zeros);
	return { id: hash.digest("hex"), data: data.toString("base64") };
}

/** Peak resident memory of a process, from the kernel. */
function peakRss(pid: number): number {
	const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
	return Number(kb) * 1024;
}

function storedFiles(home: string): string[] {
	const objects = join(home, "objects");
	if (!existsSync(objects)) return [];
	return readdirSync(objects).flatMap((prefix) => readdirSync(join(objects, prefix)).map((name) => prefix + name));
}

describe("decodeObject's cap", () => {
	test("a file of exactly the limit is taken; one byte more is OBJECT_TOO_LARGE, saying the limit and what to do", () => {
		const limit = 64 * 1024;
		const fits = Buffer.alloc(limit, "a");
		assert.deepEqual(decodeObject(blobId(fits), deflateRawSync(fits).toString("base64"), limit), fits);
		const over = Buffer.alloc(limit + 1, "a");
		assert.throws(
			() => decodeObject(blobId(over), deflateRawSync(over).toString("base64"), limit),
			(error: unknown) =>
				error instanceof DeployError &&
				error.code === "OBJECT_TOO_LARGE" &&
				/larger than 64 KiB once inflated.*DEPLOY_AGENT_MAX_OBJECT_MB/.test(error.message) &&
				/\.gitignore/.test(error.hint ?? ""),
		);
	});
});

describe("upload limits, over RPC to a real daemon", () => {
	let home: string;
	let bridge: Bridge;
	let daemonPid: number;
	const bomb = zeroBomb(1024);


	beforeAll(async () => {
		home = await mkdtemp(join(tmpdir(), "deploy-upload-limits-"));
		const agentPath = installAgent(home);
		// The default object cap (512 MiB; a file sent whole may inflate to 8 MiB at most); a file limit of 20, well above the example's few files.
		bridge = connectBridge(agentPath, home, { DEPLOY_AGENT_MAX_FILES: "20" });
		await bridge.rpc.call("setup", { proxy: "builtin", httpPort: await freePort(), httpsPort: await freePort(), address: "127.0.0.1" });
		daemonPid = Number(readFileSync(join(home, "agent.pid"), "utf8"));
	});

	afterAll(async () => {
		await bridge.rpc.call("shutdown", {}).catch(() => undefined);
		await bridge.close();
		for (const pid of recordedPids(home)) killGroup(pid);
		await rm(home, { recursive: true, force: true });
	});

	test("objects.put of 1 MB that inflates to 1 GiB: OBJECT_TOO_LARGE, the daemon's memory stays bounded, it answers, nothing is stored", async () => {
		assert.ok(bomb.data.length < 2 * MIB, `the bomb is small on the wire (${bomb.data.length} B)`);
		const before = peakRss(daemonPid);
		const error = await rejectsWithCode(bridge.rpc.call("objects.put", packObjects([{ id: bomb.id, size: GIB }], bomb.data)), "OBJECT_TOO_LARGE");
		assert.match(error.message, new RegExp(`Object ${bomb.id} is larger than 8 MiB once inflated, the most a file sent whole may be; it was not stored`));
		assert.match(error.hint ?? "", /in chunks/);
		const grown = peakRss(daemonPid) - before;
		assert.ok(grown < 100 * MIB, `the daemon's peak memory grew by ${Math.round(grown / MIB)} MiB, bounded by the 8 MiB cap`);
		assert.ok(peakRss(daemonPid) < GIB / 2);
		const hello = await bridge.rpc.call("hello", { client: "test" });
		assert.equal(hello.home, home);
		assert.equal(Number(readFileSync(join(home, "agent.pid"), "utf8")), daemonPid, "the same daemon answers");
		assert.deepEqual(storedFiles(home), [], "no object, no temp file");
		assert.deepEqual((await bridge.rpc.call("objects.missing", { ids: [bomb.id] })).missing, [bomb.id]);
	});

	test("the same bomb declaring a small size (a batch's stream that inflates past its sizes): OBJECT_CORRUPT, the daemon's memory stays bounded, nothing is stored", async () => {
		const before = peakRss(daemonPid);
		const error = await rejectsWithCode(bridge.rpc.call("objects.put", packObjects([{ id: bomb.id, size: 100 }], bomb.data)), "OBJECT_CORRUPT");
		assert.match(error.message, /inflates past the 100 bytes its 1 file declare/);
		const grown = peakRss(daemonPid) - before;
		assert.ok(grown < 100 * MIB, `the daemon's peak memory grew by ${Math.round(grown / MIB)} MiB`);
		assert.equal(Number(readFileSync(join(home, "agent.pid"), "utf8")), daemonPid, "the same daemon answers");
		assert.deepEqual(storedFiles(home), [], "no object, no temp file");
	});

	test("the same bomb as a redeploy's inline change: OBJECT_TOO_LARGE before anything is recorded or stored", async () => {
		const snap = snapshot(join(repoRoot, "examples", "hello"));
		await upload(bridge.rpc, snap);
		const live = await bridge.rpc.call("deploy", { app, manifest: snap.manifest, commit: null });
		assert.equal(live.status, "live");
		const storedBefore = storedFiles(home).sort();
		const next = snap.manifest.map((e) => (e.path === "server.js" ? { ...e, id: bomb.id } : e));
		const before = peakRss(daemonPid);
		const error = await rejectsWithCode(
			bridge.rpc.call("deploy", { app, manifestDiff: diffManifest(live.id, snap.manifest, next), contents: { "server.js": bomb.data }, commit: null }),
			"OBJECT_TOO_LARGE",
		);
		assert.match(error.message, /server\.js is larger than 8 MiB once inflated/);
		assert.ok(peakRss(daemonPid) - before < 200 * MIB);
		assert.deepEqual(storedFiles(home).sort(), storedBefore);
		const records = await bridge.rpc.call("deployments.list", { app: "hello" });
		assert.deepEqual(
			records.map((r) => r.id),
			[live.id],
			"no deployment was recorded",
		);
	});

	test("a tree over DEPLOY_AGENT_MAX_FILES: TOO_MANY_FILES at objects.missing and at deploy, naming the count and the limit; nothing stored", async () => {
		const storedBefore = storedFiles(home).sort();
		const many = Array.from({ length: 21 }, (_, i) => ({ path: `f${i}.txt`, mode: "100644" as const, id: createHash("sha1").update(`blob 1\0${i % 10}`).digest("hex") }));
		const ids = [...new Set(many.map((e) => e.id))];
		// 21 files, 10 distinct contents: the count the client gives is what counts.
		const error = await rejectsWithCode(bridge.rpc.call("objects.missing", { ids, files: many.length }), "TOO_MANY_FILES");
		assert.match(error.message, /This deploy has 21 files; the server accepts at most 20 \(DEPLOY_AGENT_MAX_FILES\)\. Nothing was uploaded or changed\./);
		await rejectsWithCode(bridge.rpc.call("deploy", { app, manifest: many, commit: null }), "TOO_MANY_FILES");
		const [live] = await bridge.rpc.call("deployments.list", { app: "hello" });
		const base = snapshot(join(repoRoot, "examples", "hello")).manifest;
		await rejectsWithCode(
			bridge.rpc.call("deploy", { app, manifestDiff: diffManifest(live!.id, base, [...base, ...many]), contents: { "f0.txt": deflateRawSync(Buffer.from("0")).toString("base64") }, commit: null }),
			"TOO_MANY_FILES",
		);
		assert.deepEqual(storedFiles(home).sort(), storedBefore, "not even the inline file");
		assert.equal((await bridge.rpc.call("deployments.list", { app: "hello" })).length, 1);
	});
});
