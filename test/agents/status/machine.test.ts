// The agent's `status`, as the Servers view and `deploy servers status` read it: a real
// daemon, the builtin proxy on a free port, a real app process.
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, test } from "vitest";
import { createProxyDriver } from "../../../agents/proxy/index.js";
import { parseMeminfo } from "../../../agents/status/machine.js";
import { type Bridge, connectBridge, freePort, installAgent,  repoRoot, sha256File, snapshot, stopAgent, upload } from "../../helpers/agent-harness.js";

describe("agent status", () => {
	let home: string;
	let agentPath: string;
	let bridge: Bridge;

	beforeAll(async () => {
		home = await mkdtemp(join(tmpdir(), "deploy-status-"));
		agentPath = installAgent(home);
		bridge = connectBridge(agentPath, home);
	});

	afterAll(async () => {
		await stopAgent(home, bridge);
		await rm(home, { recursive: true, force: true });
	});

	test("before setup: the agent and the machine, and no proxy", async () => {
		const status = await bridge.rpc.call("status", {});
		assert.equal(status.agent.version, sha256File(agentPath));
		assert.equal(status.agent.node, process.version);
		assert.ok(status.agent.pid > 0 && status.agent.rssBytes > 0);
		assert.equal(status.proxy, null);
		assert.equal(status.disk.path, home);
		assert.ok(status.disk.totalBytes > 0 && status.disk.freeBytes > 0 && status.disk.freeBytes <= status.disk.totalBytes);
		assert.ok(status.memory.totalBytes > 0 && status.memory.availableBytes > 0 && status.memory.availableBytes <= status.memory.totalBytes);
		assert.ok(status.cpus >= 1);
		assert.equal(status.load.length, 3);
		assert.deepEqual([status.apps, status.instances], [0, { total: 0, running: 0, crashed: 0 }]);
	});

	test("after setup and a deploy: the proxy runs, one app, one instance running", async () => {
		await bridge.rpc.call("setup", { proxy: "builtin", httpPort: await freePort(), httpsPort: await freePort(), address: "127.0.0.1" });
		const snap = snapshot(join(repoRoot, "examples", "hello"));
		await upload(bridge.rpc, snap);
		const record = await bridge.rpc.call("deploy", { app: { name: "hello", processes: {}, env: {}, domains: [] }, manifest: snap.manifest, commit: null });
		assert.equal(record.status, "live");
		const status = await bridge.rpc.call("status", {});
		assert.deepEqual(status.proxy, { kind: "builtin", running: true });
		assert.deepEqual([status.apps, status.instances], [1, { total: 1, running: 1, crashed: 0 }]);
	});

	test("a proxy that is not running says so, with where to look (Caddy and Traefik, never started here)", async () => {
		const setup = { proxy: "caddy" as const, httpPort: 1, httpsPort: 2, address: "127.0.0.1" };
		for (const kind of ["caddy", "traefik"] as const) {
			const dir = join(home, `stopped-${kind}`);
			const health = await createProxyDriver(kind, { setup: { ...setup, proxy: kind }, dir, log: () => {} }).health();
			assert.equal(health.running, false, kind);
			assert.match(health.message ?? "", new RegExp(`${kind}\\.log`), kind);
		}
	});

	test("memory is MemAvailable, not MemFree, read from /proc/meminfo", () => {
		const text = "MemTotal:        2000 kB\nMemFree:          100 kB\nMemAvailable:     900 kB\n";
		assert.deepEqual(parseMeminfo(text), { totalBytes: 2000 * 1024, availableBytes: 900 * 1024 });
		assert.equal(parseMeminfo("MemTotal: 2000 kB\n"), null);
	});
});
