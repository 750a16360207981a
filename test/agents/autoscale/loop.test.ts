// The autoscaler and the memory limit against a real daemon, the builtin proxy and real
// app processes: a CPU-burning endpoint under load gets a second instance; an app that
// allocates past its memory limit is stopped and restarted, and the decision says why.
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, test } from "vitest";
import { createRequire } from "node:module";
import type { DeployEvent, ParamsOf } from "../../../core/protocol/index.js";
import type { ScalingDecision } from "../../../core/protocol/scaling.js";
import { type Bridge, connectBridge, eventually, freePort, httpGet, installAgent, snapshot, stopAgent, upload } from "../../helpers/agent-harness.js";

/** autocannon ships no types: the part used here. */
const autocannon = createRequire(import.meta.url)("autocannon") as (options: { url: string; headers: Record<string, string>; connections: number; duration: number }) => { stop(): void };

/** /burn spins the CPU for 100 ms per request (so the app, not the proxy, is what the load saturates); /grow keeps 32 MB more each call; / answers the pid. */
const SERVER = `const http = require("node:http");
const kept = [];
http.createServer((req, res) => {
	if (req.url === "/burn") { const end = Date.now() + 100; while (Date.now() < end) {} return res.end("burnt\\n"); }
	if (req.url === "/grow") { kept.push(Buffer.alloc(32 * 1024 * 1024, 1)); return res.end(String(kept.length * 32) + "\\n"); }
	res.end(process.pid + "\\n");
}).listen(Number(process.env.PORT), "127.0.0.1");
process.on("SIGTERM", () => process.exit(0));
`;

describe("autoscaling and memory limits, live", () => {
	let home: string;
	let appDir: string;
	let agentPath: string;
	let httpPort: number;
	let bridge: Bridge;
	const events: DeployEvent[] = [];
	let eventsCall: AbortController;

	const deploy = async (app: ParamsOf<"deploy">["app"]) => {
		const snap = snapshot(appDir);
		await upload(bridge.rpc, snap);
		return bridge.rpc.call("deploy", { app, manifest: snap.manifest, commit: null });
	};
	const web = (extra: object) => ({
		web: { command: "node server.js", healthcheck: { path: "/", timeoutSeconds: 10, intervalMs: 50 }, drainSeconds: 1, ...extra },
	});

	/** Streams the agent's events into `events` (again after a restart). */
	const subscribe = () => {
		eventsCall = new AbortController();
		void bridge.rpc.call("events", {}, { onEvent: (e) => events.push(e), signal: eventsCall.signal }).catch(() => undefined);
	};

	beforeAll(async () => {
		home = await mkdtemp(join(tmpdir(), "deploy-autoscale-"));
		appDir = await mkdtemp(join(tmpdir(), "deploy-autoscale-app-"));
		await writeFile(join(appDir, "server.js"), SERVER);
		agentPath = installAgent(home);
		httpPort = await freePort();
		bridge = connectBridge(agentPath, home, { DEPLOY_AGENT_SETTLE_MS: "100", DEPLOY_AGENT_RESTART_BASE_MS: "100" });
		await bridge.rpc.call("setup", { proxy: "builtin", httpPort, httpsPort: await freePort(), address: "127.0.0.1" });
		subscribe();
	});

	afterAll(async () => {
		eventsCall.abort();
		await stopAgent(home, bridge);
		if (process.env.KEEP_HOME) console.log(home);
		else await rm(home, { recursive: true, force: true });
		await rm(appDir, { recursive: true, force: true });
	});

	test("deploy scale sets several processes at once, up and down", async () => {
		await writeFile(join(appDir, "worker.js"), "setInterval(() => undefined, 1000);\nprocess.on('SIGTERM', () => process.exit(0));\n");
		await deploy({ name: "multi", processes: { ...web({}), worker: { command: "node worker.js", drainSeconds: 1 } } });
		const counts = async () => {
			const rows = (await bridge.rpc.call("ps", { app: "multi" })).filter((r) => r.status === "running");
			return { web: rows.filter((r) => r.process === "web").length, worker: rows.filter((r) => r.process === "worker").length };
		};
		assert.deepEqual(await counts(), { web: 1, worker: 1 });
		assert.deepEqual((await bridge.rpc.call("scale", { app: "multi", processes: { web: 2, worker: 3 } })).processes, { web: 2, worker: 3 });
		assert.deepEqual(await counts(), { web: 2, worker: 3 });
		assert.deepEqual((await bridge.rpc.call("scale", { app: "multi", processes: { web: 1, worker: 0 } })).processes, { web: 1, worker: 0 });
		await eventually(async () => assert.deepEqual(await counts(), { web: 1, worker: 0 }));
		assert.equal((await httpGet(httpPort, "multi.localhost")).status, 200);
	});

	test("a CPU-burning endpoint under load makes the agent add an instance; ps and the log say why", async () => {
		const live = await deploy({
			name: "burner",
			// cpuUp is low because the machines this runs on are shared: a busy process gets a fifth of a core here.
			processes: web({ autoscale: { min: 1, max: 2, cpuUp: 10, cpuDown: 1, memoryDown: 30, windowSeconds: 3, upCooldownSeconds: 0, downCooldownSeconds: 3600 } }),
		});
		assert.equal(live.status, "live");
		assert.equal((await bridge.rpc.call("ps", { app: "burner" })).length, 1);

		// Load through the proxy until the agent has scaled (or 40 s pass).
		const load = autocannon({ url: `http://127.0.0.1:${httpPort}/burn`, headers: { host: "burner.localhost" }, connections: 4, duration: 40 });
		try {
			// Scaled, and the decision recorded: it is written once the scale is done, which
			// includes the proxy's switch, a little after the second instance runs.
			await eventually(async () => {
				const rows = (await bridge.rpc.call("ps", { app: "burner" })).filter((r) => r.status === "running");
				assert.equal(rows.length, 2, JSON.stringify(rows));
				assert.ok(rows[0]?.scaling?.last, JSON.stringify(rows[0]?.scaling));
			}, 200);
		} finally {
			load.stop();
		}
		const rows = await bridge.rpc.call("ps", { app: "burner" });
		const scaling = rows[0]?.scaling;
		assert.ok(scaling, "ps rows carry their process's scaling");
		assert.deepEqual([scaling.autoscale?.min, scaling.autoscale?.max], [1, 2]);
		assert.ok(scaling.last, JSON.stringify(scaling));
		// The last decision: the scale up, or, while the load lasts, "capped" at max 2.
		assert.ok(["scale", "capped"].includes(scaling.last.kind), JSON.stringify(scaling.last));
		assert.equal(scaling.last.to, 2);

		const log = await bridge.rpc.call("autoscale.log", { app: "burner" });
		const up = log.find((d) => d.kind === "scale");
		assert.deepEqual([up?.action, up?.from, up?.to], ["up", 1, 2], JSON.stringify(log));
		assert.match(up!.reason, /^CPU \d+% > 10% averaged over 3 s/);
		assert.ok(up!.cpuPercent! > 10, "the window's average is kept with the decision");
		const lines = (await readFile(join(home, "apps", "burner", "autoscale.jsonl"), "utf8")).trim().split("\n");
		assert.ok(lines.length >= 1 && JSON.parse(lines[0]!).app === "burner", "kept as JSON lines in the app's folder");
		const published = events.flatMap((e) => (e.type === "scaling" ? [e.decision] : [])) as ScalingDecision[];
		assert.ok(
			published.some((d) => d.app === "burner" && d.kind === "scale"),
			"sent as a scaling event",
		);
		// With max 2, more load is "capped", never a third instance.
		assert.equal((await bridge.rpc.call("ps", { app: "burner" })).filter((r) => r.process === "web" && r.status !== "draining").length, 2);
	});

	test("after an agent restart the cooldown still holds: the idle app is not scaled down at once", async () => {
		await bridge.rpc.call("shutdown", {}).catch(() => undefined);
		await bridge.close();
		bridge = connectBridge(agentPath, home, { DEPLOY_AGENT_SETTLE_MS: "100", DEPLOY_AGENT_RESTART_BASE_MS: "100" });
		subscribe();
		// Idle now (CPU under cpuDown 1%): the autoscaler would scale down, but the last scale was under an hour ago.
		const held = await eventually(async () => {
			const decision = (await bridge.rpc.call("autoscale.log", { app: "burner" })).at(-1);
			assert.equal(decision?.kind, "cooldown", JSON.stringify(decision));
			return decision!;
		}, 100);
		assert.match(held.reason, /^would scale down \(CPU \d+% < 1% .*\) but the last scale was \d+ s ago \(cooldown 3600 s\)/);
		assert.equal((await bridge.rpc.call("ps", { app: "burner" })).filter((r) => r.status === "running").length, 2);
	});

	test("an instance that allocates past its memory limit is stopped and restarted, and the decision says why", async () => {
		const { enforcement } = await bridge.rpc.call("doctor", {});
		await deploy({ name: "hungry", processes: web({ limits: { memoryBytes: 96 * 1024 * 1024 } }) });
		const [before] = await bridge.rpc.call("ps", { app: "hungry" });
		assert.equal(before?.scaling?.limits?.memoryBytes, 96 * 1024 * 1024);
		assert.equal(before?.scaling?.enforcement?.mode, enforcement.mode, "ps says how the limit is enforced here");
		// Grow to 128 MB, past the 96 MB limit.
		for (let i = 0; i < 4; i++) await fetch(`http://127.0.0.1:${before!.port}/grow`).catch(() => undefined);
		await eventually(async () => {
			const [row] = await bridge.rpc.call("ps", { app: "hungry" });
			assert.ok(row && row.restarts >= 1 && row.status === "running" && row.pid !== before!.pid, JSON.stringify(row));
		}, 100);
		if (enforcement.mode === "watch") {
			const log = await bridge.rpc.call("autoscale.log", { app: "hungry" });
			const limit = log.find((d) => d.kind === "limit");
			assert.ok(limit, JSON.stringify(log));
			assert.match(limit.reason, /used [\d.]+ MiB, over its memory limit of 96 MiB: killed and restarted \(watch-only enforcement\)/);
			assert.ok(events.some((e) => e.type === "scaling" && e.decision.app === "hungry" && e.decision.kind === "limit"));
		} else {
			// The kernel killed it (OOM in its cgroup): the supervisor's restart event says so.
			assert.ok(events.some((e) => e.type === "instance" && e.app === "hungry" && /killed by SIGKILL/.test(e.message ?? "")));
		}
		await eventually(async () => assert.equal((await httpGet(httpPort, "hungry.localhost")).status, 200, "the restarted instance serves"));
	});
});
