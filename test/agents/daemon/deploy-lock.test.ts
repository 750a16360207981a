// Issue 13, item 6: the disk fills up while a deploy takes its app's lock. The lock was
// recorded before its owner.json was written and never given back when that write
// failed: every later deploy, scale and env change of the app waited on it until the
// daemon restarted. The real agent bundle, the builtin proxy, an app on 127.0.0.1, and a
// real full disk: a small tmpfs mounted as the app's folder.
import assert from "node:assert/strict";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, test } from "vitest";
import { DeployError, type DeploymentRecord, type ParamsOf } from "../../../core/protocol/index.js";
import { mountSmallDisk, type SmallDisk } from "../../helpers/tmpfs.js";
import { type Bridge, connectBridge, freePort, httpGet, installAgent, snapshot, stopAgent, upload } from "../../helpers/agent-harness.js";

const SERVER = `require("node:http").createServer((req, res) => res.end(process.env.VERSION + "\\n")).listen(Number(process.env.PORT), "127.0.0.1");
process.on("SIGTERM", () => process.exit(0));
`;

/** The call's result, or a failed assertion once `ms` have passed (the old lock made it wait forever). */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	const late = new Promise<never>((_, reject) => {
		timer = setTimeout(() => reject(new assert.AssertionError({ message: `${what} after ${ms / 1000} s` })), ms);
	});
	return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

describe("the deploy lock on a full disk", () => {
	let home: string;
	let appDir: string;
	let disk: SmallDisk;
	let bridge: Bridge;
	let httpPort: number;
	const spec = (version: string): ParamsOf<"deploy">["app"] => ({
		name: "shop",
		env: { VERSION: version },
		processes: { web: { command: "node server.js", healthcheck: { path: "/", timeoutSeconds: 10, intervalMs: 50 }, drainSeconds: 1 } },
	});
	const deploy = async (version: string): Promise<DeploymentRecord> => {
		const snap = snapshot(appDir);
		await upload(bridge.rpc, snap);
		return bridge.rpc.call("deploy", { app: spec(version), manifest: snap.manifest, commit: null, wait: true });
	};

	beforeAll(async () => {
		home = await mkdtemp(join(tmpdir(), "deploy-lock-disk-"));
		appDir = await mkdtemp(join(tmpdir(), "deploy-app-"));
		await writeFile(join(appDir, "server.js"), SERVER);
		const agentPath = installAgent(home);
		// The app's folder is its own small disk, so the rest of the home keeps its room.
		await mkdir(join(home, "apps"), { recursive: true });
		disk = await mountSmallDisk(join(home, "apps", "shop"), 512);
		httpPort = await freePort();
		bridge = connectBridge(agentPath, home);
		await bridge.rpc.call("setup", { proxy: "builtin", httpPort, httpsPort: await freePort(), address: "127.0.0.1" });
	});
	afterAll(async () => {
		if (bridge) await stopAgent(home, bridge);
		await disk?.unmount();
		await rm(home, { recursive: true, force: true });
		await rm(appDir, { recursive: true, force: true });
	});

	test("a deploy that cannot record its lock fails with DISK_FULL and gives the lock back: the next deploy goes live", async () => {
		const snap = snapshot(appDir);
		await upload(bridge.rpc, snap);
		await disk.fill();
		const failed = await within(deploy("v1").then(() => assert.fail("the deploy should fail on a full disk"), (error: unknown) => error), 30_000, "the deploy on a full disk did not answer");
		assert.ok(failed instanceof DeployError, String(failed));
		assert.equal(failed.code, "DISK_FULL", failed.message);
		assert.match(failed.message, /The server's disk is full: the agent could not write the deploy lock of shop\. Nothing was changed\./);
		assert.match(failed.hint ?? "", /Free space on the server/);
		// No lock left, and no half-written owner.json or temp file.
		const left = (await readdir(disk.path, { recursive: true })).map(String);
		assert.deepEqual(left.filter((name) => name.startsWith("deploy.lock") || name.endsWith(".tmp")), [], left.join(", "));

		await disk.free();
		const record = await within(deploy("v2"), 30_000, "the next deploy still waits for the lock the failed one took");
		assert.equal(record.status, "live");
		assert.equal((await httpGet(httpPort, "shop.localhost")).body, "v2\n");
		const scaled = await within(bridge.rpc.call("scale", { app: "shop", processes: { web: 2 } }), 30_000, "scale still waits for the lock");
		assert.deepEqual(scaled, { app: "shop", processes: { web: 2 } });
	});
});
