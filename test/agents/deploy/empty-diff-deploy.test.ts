// A redeploy whose files did not change (an empty manifest diff against the live
// release) is answered without reading the kept manifest when nothing else changed
// either (test/e2e/redeploy-unchanged.test.ts); when the spec changed, the deploy goes
// on and reads the manifest only then (agents/deploy/deploy-request.ts). This is that
// second path, against the real agent bundle over RPC.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, test } from "vitest";
import { manifestHash } from "../../../core/protocol/manifest.js";
import { type Bridge, connectBridge, freePort, installAgent, killGroup, recordedPids, repoRoot, snapshot, upload } from "../../helpers/agent-harness.js";

const app = { name: "hello", processes: {}, env: {}, domains: [] };

describe("an empty manifest diff against the live release, over RPC to a real daemon", () => {
	let home: string;
	let bridge: Bridge;

	beforeAll(async () => {
		home = await mkdtemp(join(tmpdir(), "deploy-empty-diff-"));
		bridge = connectBridge(installAgent(home), home);
		await bridge.rpc.call("setup", { proxy: "builtin", httpPort: await freePort(), httpsPort: await freePort(), address: "127.0.0.1" });
	});

	afterAll(async () => {
		await bridge.rpc.call("shutdown", {}).catch(() => undefined);
		await bridge.close();
		for (const pid of recordedPids(home)) killGroup(pid);
		await rm(home, { recursive: true, force: true });
	});

	test("with a changed spec: a new release of the same files goes live (the kept manifest read then); the same request again is unchanged", async () => {
		const snap = snapshot(join(repoRoot, "examples", "hello"));
		await upload(bridge.rpc, snap);
		const first = await bridge.rpc.call("deploy", { app, manifest: snap.manifest, commit: null });
		assert.equal(first.status, "live");
		const empty = { base: first.id, hash: manifestHash(snap.manifest), changed: [], removed: [] };
		const changedSpec = { ...app, env: { GREETING: "hi" } };

		const second = await bridge.rpc.call("deploy", { app: changedSpec, manifestDiff: empty, commit: null });
		assert.equal(second.status, "live");
		assert.notEqual(second.id, first.id);
		assert.notEqual(second.unchanged, true);
		const releases = join(home, "apps", "hello", "releases");
		assert.deepEqual(JSON.parse(await readFile(join(releases, `${second.id}.manifest.json`), "utf8")), JSON.parse(await readFile(join(releases, `${first.id}.manifest.json`), "utf8")), "the new release keeps the same manifest");
		assert.deepEqual(await readFile(join(releases, second.id, "server.js")), readFileSync(join(repoRoot, "examples", "hello", "server.js")), "its files were written from the store");

		const third = await bridge.rpc.call("deploy", { app: changedSpec, manifestDiff: { ...empty, base: second.id }, commit: null });
		assert.equal(third.unchanged, true);
		assert.equal(third.id, second.id);
	});
});
