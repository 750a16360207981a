// Faults the agent must survive, with real processes: its own kill -9 (idle and mid
// deploy), an app that crashes at once, an app that floods its log.
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, test } from "vitest";
import type { DeployEvent, ParamsOf } from "../../../core/protocol/index.js";
import { type Bridge, connectBridge, eventually, freePort, httpGet, installAgent,  snapshot, stopAgent, upload } from "../../helpers/agent-harness.js";

const SERVER = `require("node:http").createServer((req, res) => res.end(process.env.VERSION + "\\n")).listen(Number(process.env.PORT), "127.0.0.1");\n`;
const TUNING = { DEPLOY_AGENT_RESTART_BASE_MS: "100", DEPLOY_AGENT_LOG_MAX_BYTES: "65536", DEPLOY_AGENT_LOG_CHECK_MS: "200", DEPLOY_AGENT_SETTLE_MS: "100" };

/** utime + stime of a process, in clock ticks. */
function cpuTicks(pid: number): number {
	const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
	const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
	return Number(fields[11]) + Number(fields[12]);
}

describe("faults", () => {
	let home: string;
	let appDir: string;
	let agentPath: string;
	let httpPort: number;
	let bridge: Bridge;
	const bridges: Bridge[] = [];
	const open = () => {
		const b = connectBridge(agentPath, home, TUNING);
		bridges.push(b);
		return b;
	};
	const daemonPid = () => Number(readFileSync(join(home, "agent.pid"), "utf8"));
	const answer = async () => (await httpGet(httpPort, "api.localhost")).body.trim();
	const app = (name: string, version: string, extra: Partial<ParamsOf<"deploy">["app"]> = {}): ParamsOf<"deploy">["app"] => ({
		name,
		env: { VERSION: version },
		processes: { web: { command: "node server.js", healthcheck: { timeoutSeconds: 10, intervalMs: 50 }, drainSeconds: 2 } },
		...extra,
	});
	const deploy = async (spec: ParamsOf<"deploy">["app"], onEvent?: (e: DeployEvent) => void) => {
		const snap = snapshot(appDir);
		await upload(bridge.rpc, snap);
		return bridge.rpc.call("deploy", { app: spec, manifest: snap.manifest, commit: null }, onEvent ? { onEvent } : {});
	};

	beforeAll(async () => {
		home = await mkdtemp(join(tmpdir(), "deploy-faults-"));
		appDir = await mkdtemp(join(tmpdir(), "deploy-app-"));
		await writeFile(join(appDir, "server.js"), SERVER);
		agentPath = installAgent(home);
		httpPort = await freePort();
		bridge = open();
		await bridge.rpc.call("setup", { proxy: "builtin", httpPort, httpsPort: await freePort(), address: "127.0.0.1" });
		await deploy(app("api", "v1"));
	});

	afterAll(async () => {
		await stopAgent(home, open(), bridges);
		await rm(home, { recursive: true, force: true });
		await rm(appDir, { recursive: true, force: true });
	});

	test("kill -9 of the idle daemon: the app answers throughout, the new daemon adopts the same pids", async () => {
		const before = (await bridge.rpc.call("ps", { app: "api" })).map((i) => i.pid);
		const { port } = (await bridge.rpc.call("ps", { app: "api" }))[0]!;
		process.kill(daemonPid(), "SIGKILL");
		await bridge.close();
		for (let i = 0; i < 5; i++) assert.equal((await httpGet(port)).body, "v1\n");
		bridge = open();
		const after = await bridge.rpc.call("ps", { app: "api" });
		assert.deepEqual(after.map((i) => i.pid), before);
		assert.deepEqual(after.map((i) => i.status), ["running"]);
		assert.equal(await eventually(answer), "v1");
	});

	test("kill -9 of the daemon mid-build: the previous release serves, the record is interrupted, the next deploy succeeds", async () => {
		const dead = daemonPid();
		await deploy(app("api", "v2", { build: "echo building; sleep 5" }), (e) => e.type === "log" && e.line === "building" && process.kill(dead, "SIGKILL")).catch((e: unknown) => e);
		await bridge.close();
		assert.equal((await httpGet((JSON.parse(readFileSync(join(home, "apps", "api", "state.json"), "utf8")) as { instances: { port: number }[] }).instances[0]!.port)).body, "v1\n");
		bridge = open();
		const [latest] = await bridge.rpc.call("deployments.list", { app: "api", limit: 1 });
		assert.equal(latest?.status, "interrupted");
		assert.equal(latest?.error?.code, "AGENT_RESTARTED");
		assert.equal(await eventually(answer), "v1");
		const next = await deploy(app("api", "v3"));
		assert.equal(next.status, "live");
		assert.equal(await answer(), "v3");
	});

	test("state.json that cannot be written at the commit point fails the deploy; the previous release stays live", async () => {
		const before = await answer();
		const state = join(home, "apps", "api", "state.json");
		// A directory where the file must be renamed: the commit's write fails the way a full or read-only disk would.
		const breakState = async () => {
			await rm(state);
			await mkdir(state);
			await writeFile(join(state, "blocker"), "");
		};
		let broken: Promise<void> | null = null;
		const spec = app("api", "unwritten", { processes: { web: { command: `node -e "setTimeout(() => require('./server.js'), 1000)"`, healthcheck: { timeoutSeconds: 10, intervalMs: 50 }, drainSeconds: 2 } } });
		const failed = await deploy(spec, (e) => {
			if (e.type === "step" && e.step === "healthcheck" && e.status === "started") broken ??= breakState();
		}).catch((e: unknown) => e as { code: string; message: string });
		await broken;
		assert.equal((failed as { code?: string }).code, "STATE_WRITE_FAILED", JSON.stringify(failed));
		assert.match((failed as { message: string }).message, /Cannot record the live release of api/);
		assert.equal(await answer(), before);
		await rm(state, { recursive: true });
		const next = await deploy(app("api", "written"));
		assert.equal(next.status, "live");
		assert.equal(await answer(), "written");
		const onDisk = JSON.parse(readFileSync(state, "utf8")) as { live: string };
		assert.equal(onDisk.live, next.id);
	});

	test("an app that exits at once backs off, ends crashed, and the daemon stays idle", async () => {
		const events: DeployEvent[] = [];
		const controller = new AbortController();
		const stream = bridge.rpc.call("events", { app: "crashy" }, { signal: controller.signal, onEvent: (e) => events.push(e) });
		const ticksBefore = cpuTicks(daemonPid());
		const startedAt = Date.now();
		await deploy(app("crashy", "v1", { processes: { web: { command: "node server.js" }, worker: { command: "node -e 'process.exit(3)'" } } }));
		const worker = await eventually(async () => {
			const row = (await bridge.rpc.call("ps", { app: "crashy" })).find((i) => i.process === "worker");
			assert.equal(row?.status, "crashed");
			return row!;
		});
		const ticks = cpuTicks(daemonPid()) - ticksBefore;
		const seconds = (Date.now() - startedAt) / 1000;
		controller.abort();
		await stream.catch(() => undefined);
		assert.equal(worker.restarts, 4);
		assert.equal(worker.pid, null);
		assert.match(worker.message ?? "", /exited with code 3; 5 crashes in a row/);
		const statuses = events.flatMap((e) => (e.type === "instance" && e.process === "worker" ? [e.status] : []));
		assert.equal(statuses.filter((s) => s === "backoff").length, 4);
		assert.equal(statuses.at(-1), "crashed");
		// Bounded CPU: the whole deploy plus crash loop used well under half a core.
		assert.ok(ticks / 100 < seconds / 2, `daemon used ${ticks} ticks in ${seconds} s`);
		// And once crashed, nothing more happens.
		const idleBefore = cpuTicks(daemonPid());
		await new Promise((resolve) => setTimeout(resolve, 1000));
		assert.ok(cpuTicks(daemonPid()) - idleBefore < 20);
	});

	test("a chatty app's log is rotated by size, keeping three files", async () => {
		const chatty = "setInterval(() => { for (let i = 0; i < 50; i++) console.log(i + ' ' + 'x'.repeat(200)); }, 5)";
		await deploy(app("chatty", "v1", { processes: { web: { command: "node server.js" }, worker: { command: `node -e "${chatty}"` } } }));
		const logs = join(home, "apps", "chatty", "logs");
		await eventually(async () => assert.ok(readdirSync(logs).includes("app.log.3")), 100);
		await bridge.rpc.call("scale", { app: "chatty", processes: { worker: 0 } });
		assert.deepEqual(readdirSync(logs).sort(), ["app.log", "app.log.1", "app.log.2", "app.log.3"]);
		const rotated = readFileSync(join(logs, "app.log.1"), "utf8").split("\n").filter(Boolean);
		assert.ok(rotated.length > 100);
		assert.ok(statSync(join(logs, "app.log.1")).size >= 65536);
	});
});
