// Releases that never drop a request, against a real daemon, the builtin proxy and
// real app processes on 127.0.0.1: rollback, failed health checks, scale, the lock.
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, test } from "vitest";
import { type DeployEvent, DeployError, type ParamsOf } from "../../../core/protocol/index.js";
import { type Bridge, connectBridge, eventually, freePort, httpGet, installAgent,  snapshot, stopAgent, upload } from "../../helpers/agent-harness.js";

/** An app whose answer names its version (from env) and its pid; /health answers $HEALTH (default 200). */
const SERVER = `const http = require("node:http");
http.createServer((req, res) => {
	if (req.url === "/health") { res.writeHead(Number(process.env.HEALTH || 200)); return res.end("health is " + (process.env.HEALTH || "fine")); }
	res.end(process.env.VERSION + " " + process.pid + "\\n");
}).listen(Number(process.env.PORT), "127.0.0.1");
process.on("SIGTERM", () => process.exit(0));
`;

describe("releases", () => {
	let home: string;
	let appDir: string;
	let agentPath: string;
	let httpPort: number;
	let bridge: Bridge;
	const bridges: Bridge[] = [];
	const open = () => {
		const b = connectBridge(agentPath, home, { DEPLOY_AGENT_SETTLE_MS: "100" });
		bridges.push(b);
		return b;
	};
	const answer = async () => (await httpGet(httpPort, "shop.localhost")).body.split(" ")[0];
	const spec = (version: string, extra: Partial<ParamsOf<"deploy">["app"]> = {}): ParamsOf<"deploy">["app"] => ({
		name: "shop",
		env: { VERSION: version },
		processes: { web: { command: "node server.js", healthcheck: { path: "/health", timeoutSeconds: 10, intervalMs: 50 }, drainSeconds: 2 } },
		...extra,
	});
	const deploy = async (app: ParamsOf<"deploy">["app"], events: DeployEvent[] = [], wait = true) => {
		const snap = snapshot(appDir);
		await upload(bridge.rpc, snap);
		return bridge.rpc.call("deploy", { app, manifest: snap.manifest, commit: null, wait }, { onEvent: (e) => events.push(e) });
	};
	const rejection = async (promise: Promise<unknown>, code: string) => {
		const error = await promise.then(() => assert.fail(`expected ${code}`), (e: unknown) => e);
		assert.ok(error instanceof DeployError, String(error));
		assert.equal(error.code, code, error.message);
		return error;
	};
	const steps = (events: DeployEvent[]) => events.flatMap((e) => (e.type === "step" ? [e.step] : []));

	beforeAll(async () => {
		home = await mkdtemp(join(tmpdir(), "deploy-releases-"));
		appDir = await mkdtemp(join(tmpdir(), "deploy-app-"));
		await writeFile(join(appDir, "server.js"), SERVER);
		agentPath = installAgent(home);
		httpPort = await freePort();
		bridge = open();
		await bridge.rpc.call("setup", { proxy: "builtin", httpPort, httpsPort: await freePort(), address: "127.0.0.1" });
	});

	afterAll(async () => {
		await stopAgent(home, open(), bridges);
		await rm(home, { recursive: true, force: true });
		await rm(appDir, { recursive: true, force: true });
	});

	test("a redeploy switches the answer; the old release is drained", async () => {
		const first = await deploy(spec("v1"));
		assert.equal(first.status, "live");
		assert.equal(await answer(), "v1");
		await deploy(spec("v2"));
		assert.equal(await answer(), "v2");
		await eventually(async () => assert.deepEqual((await bridge.rpc.call("ps", { app: "shop" })).map((i) => i.status), ["running"]));
	});

	test("rollback switches back to the previous release without install or build", async () => {
		const events: DeployEvent[] = [];
		const [v2, v1] = await bridge.rpc.call("deployments.list", { app: "shop" });
		const record = await bridge.rpc.call("rollback", { app: "shop" }, { onEvent: (e) => events.push(e) });
		assert.equal(record.id, v1!.id);
		assert.equal(record.status, "live");
		assert.equal(await answer(), "v1");
		assert.deepEqual(steps(events).filter((s) => s !== "drain"), ["start", "start", "healthcheck", "healthcheck", "route", "route"]);
		const list = await bridge.rpc.call("deployments.list", { app: "shop" });
		assert.deepEqual(list.map((d) => [d.id, d.status]), [[v2!.id, "superseded"], [v1!.id, "live"]]);
		// And forward again, by id.
		await bridge.rpc.call("rollback", { app: "shop", to: v2!.id });
		assert.equal(await answer(), "v2");
		await rejection(bridge.rpc.call("rollback", { app: "shop", to: "d0000000zzzz" }), "UNKNOWN_DEPLOYMENT");
	});

	test("a failed health check leaves the old release serving; the record says why", async () => {
		const app = spec("v3", { processes: { web: { command: "node server.js", healthcheck: { path: "/health", timeoutSeconds: 1, intervalMs: 100 } } }, env: { VERSION: "v3", HEALTH: "503" } });
		const error = await rejection(deploy(app), "HEALTHCHECK_FAILED");
		assert.equal(error.details?.[0], "GET /health answered HTTP 503: health is 503");
		assert.equal(await answer(), "v2");
		const [latest] = await bridge.rpc.call("deployments.list", { app: "shop", limit: 1 });
		assert.equal(latest?.status, "failed");
		assert.match(latest?.error?.message ?? "", /HTTP 503/);
	});

	test("scale web=3: three pids in ps, all answering through the proxy", async () => {
		const result = await bridge.rpc.call("scale", { app: "shop", processes: { web: 3 } });
		assert.deepEqual(result, { app: "shop", processes: { web: 3 } });
		const rows = (await bridge.rpc.call("ps", { app: "shop" })).filter((i) => i.status === "running");
		assert.equal(rows.length, 3);
		const pids = new Set(rows.map((r) => String(r.pid)));
		assert.equal(pids.size, 3);
		for (const row of rows) assert.ok(row.memoryBytes && row.memoryBytes > 0 && row.cpuPercent !== null && row.uptimeSeconds !== null);
		const seen = new Set<string>();
		for (let i = 0; i < 9; i++) seen.add((await httpGet(httpPort, "shop.localhost")).body.trim().split(" ")[1]!);
		assert.deepEqual(seen, pids);
		await bridge.rpc.call("scale", { app: "shop", processes: { web: 1 } });
		await eventually(async () => assert.equal((await bridge.rpc.call("ps", { app: "shop" })).length, 1));
	});

	test("two deploys of one app are serialized; wait:false fails with DEPLOY_IN_PROGRESS", async () => {
		const slow = spec("v4", { build: "sleep 1" });
		const firstEvents: DeployEvent[] = [];
		const secondEvents: DeployEvent[] = [];
		const first = deploy(slow, firstEvents);
		await eventually(async () => assert.ok(steps(firstEvents).includes("build")));
		const second = deploy(spec("v5"), secondEvents);
		const [firstId] = (await bridge.rpc.call("deployments.list", { app: "shop", limit: 1 })).map((d) => d.id);
		const busy = await rejection(deploy(spec("v6"), [], false), "DEPLOY_IN_PROGRESS");
		assert.equal(busy.message, `Deployment ${firstId} of shop is running.`);
		const [a, b] = await Promise.all([first, second]);
		assert.equal(a.id, firstId);
		assert.ok(b.id > a.id);
		const lock = secondEvents.find((e) => e.type === "step" && e.step === "lock" && e.status === "started");
		assert.equal(lock?.type === "step" && lock.message, `waiting for deployment ${firstId} to finish`);
		assert.equal(await answer(), "v5");
		const list = await bridge.rpc.call("deployments.list", { app: "shop", limit: 2 });
		assert.deepEqual(list.map((d) => [d.id, d.status]), [[b.id, "live"], [a.id, "superseded"]]);
	});
});
