// Issue 13, items 15-18: the agent's life cycle against a real daemon, the builtin
// proxy and real app processes: a clock set back, a state.json lost, a daemon killed
// mid-build, a secrets key lost. What is checked is what a person would: `deploy ls`,
// `deploy ps`, the events, doctor's answer, the release folders left, /proc, the app's answer.
import assert from "node:assert/strict";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync } from "node:fs";
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, test } from "vitest";
import { pathToFileURL } from "node:url";
import type { DeployEvent, ParamsOf } from "../../../core/protocol/index.js";
import { secretsCheck } from "../../../core/scaling/secrets-check.js";
import { type Bridge, connectBridge, eventually, freePort, httpGet, installAgent, isRunning, snapshot, stopAgent, upload } from "../../helpers/agent-harness.js";

const SERVER = `require("node:http").createServer((req, res) => res.end(process.env.VERSION + "\\n")).listen(Number(process.env.PORT), "127.0.0.1");\n`;
const TUNING = { DEPLOY_AGENT_RESTART_BASE_MS: "100", DEPLOY_AGENT_SETTLE_MS: "100" };
const DAY_MS = 86_400_000;

/**
 * A clock set back, for the daemon only: a module preloaded through NODE_OPTIONS that
 * shifts Date by FAKE_CLOCK_OFFSET_MS. Test scaffolding, not a knob of the agent.
 */
const FAKE_CLOCK = `const offset = Number(process.env.FAKE_CLOCK_OFFSET_MS ?? 0);
const RealDate = Date;
class ShiftedDate extends RealDate {
	constructor(...args) { if (args.length === 0) super(RealDate.now() + offset); else super(...args); }
	static now() { return RealDate.now() + offset; }
}
globalThis.Date = ShiftedDate;
`;

/** Every process whose working directory is `dir` or inside it, read from /proc as a person would (ls -l /proc/<pid>/cwd). */
function processesIn(dir: string): number[] {
	const pids: number[] = [];
	for (const name of readdirSync("/proc").filter((n) => /^\d+$/.test(n))) {
		try {
			const cwd = readlinkSync(`/proc/${name}/cwd`);
			if ((cwd === dir || cwd.startsWith(`${dir}/`)) && isRunning(Number(name))) pids.push(Number(name));
		} catch {
			// ended meanwhile
		}
	}
	return pids;
}

/** The agent bundle, built once for every scenario of this file into a folder of its own. */
let built: { dir: string; agent: string } | null = null;
afterAll(async () => {
	if (built) await rm(built.dir, { recursive: true, force: true });
});

/** One agent home per scenario, with the bundle installed as the client uploads it. */
async function newAgentHome(): Promise<{ home: string; agentPath: string }> {
	if (!built) {
		const dir = await mkdtemp(join(tmpdir(), "deploy-lifecycle-build-"));
		built = { dir, agent: installAgent(dir) };
	}
	const home = await mkdtemp(join(tmpdir(), "deploy-lifecycle-"));
	const agentPath = join(home, "bin", "agent.mjs");
	mkdirSync(dirname(agentPath), { recursive: true });
	copyFileSync(built.agent, agentPath);
	return { home, agentPath };
}

/** One scenario's agent: a home, a daemon reached through bridges, an app folder. */
function scenario(tuning: Record<string, string> = TUNING) {
	const self = {
		home: "",
		agentPath: "",
		appDir: "",
		httpPort: 0,
		bridge: null as unknown as Bridge,
		bridges: [] as Bridge[],
		open(extraEnv: Record<string, string> = {}): Bridge {
			const b = connectBridge(self.agentPath, self.home, { ...tuning, ...extraEnv });
			self.bridges.push(b);
			self.bridge = b;
			return b;
		},
		daemonPid: () => Number(readFileSync(join(self.home, "agent.pid"), "utf8")),
		answer: async (host: string) => (await httpGet(self.httpPort, host)).body.trim(),
		spec: (name: string, version: string, extra: Partial<ParamsOf<"deploy">["app"]> = {}): ParamsOf<"deploy">["app"] => ({
			name,
			env: { VERSION: version },
			processes: { web: { command: "node server.js", healthcheck: { timeoutSeconds: 10, intervalMs: 50 }, drainSeconds: 2 } },
			...extra,
		}),
		async deploy(app: ParamsOf<"deploy">["app"], onEvent?: (e: DeployEvent) => void) {
			const snap = snapshot(self.appDir);
			await upload(self.bridge.rpc, snap);
			return self.bridge.rpc.call("deploy", { app, manifest: snap.manifest, commit: null }, onEvent ? { onEvent } : {});
		},
		/** Stops the daemon the way `shutdown` does (apps keep running) and waits until it is gone. */
		async stopDaemon() {
			const pid = self.daemonPid();
			await self.bridge.rpc.call("shutdown", {});
			await self.bridge.close();
			await eventually(async () => assert.equal(isRunning(pid), false));
		},
		async start() {
			({ home: self.home, agentPath: self.agentPath } = await newAgentHome());
			self.appDir = await mkdtemp(join(tmpdir(), "deploy-lifecycle-app-"));
			await writeFile(join(self.appDir, "server.js"), SERVER);
			self.httpPort = await freePort();
			self.open();
			await self.bridge.rpc.call("setup", { proxy: "builtin", httpPort: self.httpPort, httpsPort: await freePort(), address: "127.0.0.1" });
		},
		async stop() {
			await stopAgent(self.home, self.open(), self.bridges);
			await rm(self.home, { recursive: true, force: true });
			await rm(self.appDir, { recursive: true, force: true });
		},
	};
	return self;
}

describe("a clock set back (item 16)", { timeout: 120_000 }, () => {
	const s = scenario();
	beforeAll(() => s.start());
	afterAll(() => s.stop());

	test("deploy ls and pruning follow the order of the deploys, not the time in their ids", async () => {
		const keep = { keepReleases: 3 };
		const ids: string[] = [];
		for (const version of ["v1", "v2", "v3"]) ids.push((await s.deploy(s.spec("shop", version, keep))).id);
		// The server's clock goes back a day (a bad RTC at boot, a manual fix), and the agent restarts on it.
		await s.stopDaemon();
		const clockDir = await mkdtemp(join(tmpdir(), "deploy-fake-clock-"));
		const clock = join(clockDir, "fake-clock.mjs");
		await writeFile(clock, FAKE_CLOCK);
		// Apps inherit NODE_OPTIONS, and may run as users of their own: they must read it too.
		await chmod(clockDir, 0o755);
		await chmod(clock, 0o644);
		s.open({ NODE_OPTIONS: `--import=${pathToFileURL(clock).href}`, FAKE_CLOCK_OFFSET_MS: String(-DAY_MS) });
		const { timeMs } = await s.bridge.rpc.call("doctor", {});
		assert.ok(timeMs < Date.now() - DAY_MS / 2, "the restarted daemon's clock is a day behind");
		for (const version of ["v4", "v5", "v6"]) ids.push((await s.deploy(s.spec("shop", version, keep))).id);
		// The ids say the later deploys are the older ones: the clock really went back.
		assert.ok(ids[3]! < ids[2]!, `${ids[3]} sorts before ${ids[2]}`);

		const listed = await s.bridge.rpc.call("deployments.list", { app: "shop", limit: 10 });
		assert.deepEqual(
			listed.map((r) => r.id),
			[...ids].reverse(),
		);
		assert.deepEqual(
			listed.map((r) => r.status),
			["live", "superseded", "superseded", "superseded", "superseded", "superseded"],
		);
		// Pruning kept the three releases deployed last (the live one among them).
		const folders = readdirSync(join(s.home, "apps", "shop", "releases")).filter((name) => !name.includes("."));
		assert.deepEqual(folders.sort(), ids.slice(3).sort());
		assert.equal(await s.answer("shop.localhost"), "v6");
		// And a rollback goes to the one deployed before the live one.
		const back = await s.bridge.rpc.call("rollback", { app: "shop" });
		assert.equal(back.id, ids[4]);
		assert.equal(await eventually(async () => {
			const answer = await s.answer("shop.localhost");
			assert.equal(answer, "v5");
			return answer;
		}), "v5");
		await rm(clockDir, { recursive: true, force: true });
	});
});

describe("a state.json that cannot be read (item 17)", { timeout: 120_000 }, () => {
	const s = scenario();
	beforeAll(() => s.start());
	afterAll(() => s.stop());

	test("removed as its error says, the next deploy stops the instances it listed; nothing of the old release runs on, and the app answers", async () => {
		const first = await s.deploy(s.spec("web", "v1"));
		const oldRelease = join(s.home, "apps", "web", "releases", first.id);
		const [instance] = await s.bridge.rpc.call("ps", { app: "web" });
		assert.ok(processesIn(oldRelease).includes(instance!.pid!), "the instance runs from its release folder");
		// The file is damaged (a disk error, a hand edit), and the agent restarts.
		const state = join(s.home, "apps", "web", "state.json");
		await writeFile(state, "{ not json");
		await s.stopDaemon();
		s.open();
		// It cannot know the instances now; they keep serving through the route the proxy kept.
		assert.deepEqual(await s.bridge.rpc.call("ps", { app: "web" }), []);
		assert.equal(await eventually(() => s.answer("web.localhost")), "v1");
		// A deploy says what is wrong and what to do.
		const refused = (await s.deploy(s.spec("web", "v2")).catch((error: unknown) => error)) as { code: string; hint: string };
		assert.equal(refused.code, "STATE_CORRUPT");
		assert.match(refused.hint, /remove the file/);
		// Following the hint: remove it, deploy again.
		await rm(state);
		const next = await s.deploy(s.spec("web", "v2"));
		assert.equal(next.status, "live");
		assert.equal(await s.answer("web.localhost"), "v2");
		// Nothing of the old release is left running untracked (its instance included).
		await eventually(async () => assert.deepEqual(processesIn(oldRelease), []));
		assert.equal(isRunning(instance!.pid!), false);
		const rows = await s.bridge.rpc.call("ps", { app: "web" });
		assert.deepEqual(
			rows.map((r) => [r.deploymentId, r.status]),
			[[next.id, "running"]],
		);
		assert.deepEqual(
			processesIn(join(s.home, "apps", "web", "releases", next.id)).includes(rows[0]!.pid!),
			true,
		);
		assert.equal(await s.answer("web.localhost"), "v2");
	});
});

describe("kill -9 of the daemon mid-build (item 18)", { timeout: 120_000 }, () => {
	const s = scenario();
	beforeAll(() => s.start());
	afterAll(() => s.stop());

	test("the build's processes are gone within seconds of the daemon's return, and the next deploy succeeds", async () => {
		const first = await s.deploy(s.spec("api", "v1"));
		const releases = join(s.home, "apps", "api", "releases");
		const building = () => processesIn(releases).filter((pid) => !processesIn(join(releases, first.id)).includes(pid));
		const dead = s.daemonPid();
		await s.deploy(s.spec("api", "v2", { build: "echo building; sleep 30" }), (e) => e.type === "log" && e.line === "building" && process.kill(dead, "SIGKILL")).catch((error: unknown) => error);
		await s.bridge.close();
		// Without its daemon the build runs on (the shell and its sleep).
		assert.ok(building().length > 0, "the build still runs after the kill");
		const back = Date.now();
		s.open();
		const [latest] = await s.bridge.rpc.call("deployments.list", { app: "api", limit: 1 });
		assert.equal(latest?.status, "interrupted");
		await eventually(async () => assert.deepEqual(building(), []), 25);
		assert.ok(Date.now() - back < 5_000, `gone ${Date.now() - back} ms after the daemon came back`);
		// The previous release served throughout, and the next deploy goes live.
		assert.equal(await s.answer("api.localhost"), "v1");
		const next = await s.deploy(s.spec("api", "v3"));
		assert.equal(next.status, "live");
		assert.equal(await s.answer("api.localhost"), "v3");
	});
});

describe("a lost secrets key (item 15)", { timeout: 120_000 }, () => {
	const s = scenario();
	beforeAll(() => s.start());
	afterAll(() => s.stop());

	test("an instance that cannot restart says why in ps and its events, and doctor names the key and what to do", async () => {
		await s.deploy(s.spec("vault", "v1"));
		const { deployment } = await s.bridge.rpc.call("env.change", { app: "vault", environment: "production", set: { TOKEN: "s3cr3t-value" }, unset: [], wait: true });
		// The instance of the release with the value (the one before drains).
		const live = async () => (await s.bridge.rpc.call("ps", { app: "vault" })).find((row) => row.deploymentId === deployment?.id);
		const instance = await live();
		assert.equal(instance?.status, "running");
		// The key file is lost, and the agent restarts (a reboot would do both): it adopts the instance.
		const key = join(s.home, "secrets.key");
		await rm(key);
		await s.stopDaemon();
		s.open();
		// Once it has adopted the instance, which still runs.
		assert.equal((await live())?.status, "running");
		const events: DeployEvent[] = [];
		const controller = new AbortController();
		const stream = s.bridge.rpc.call("events", { app: "vault" }, { signal: controller.signal, onEvent: (e) => events.push(e) });
		await live();
		const missing = new RegExp(`secrets key ${key.replaceAll(".", "\\.")} is missing`);
		try {
			// The instance has to start again: its env values must be opened.
			process.kill(instance!.pid!, "SIGKILL");
			const row = await eventually(async () => {
				const now = await live();
				assert.match(now?.message ?? "", missing);
				return now!;
			});
			assert.ok(row.status === "backoff" || row.status === "crashed", row.status);
			assert.match(row.message!, /^cannot start: /);
			assert.match(row.message!, /Put the key file back from a backup/);
		} finally {
			controller.abort();
			await stream.catch(() => undefined);
		}
		assert.ok(
			events.some((e) => e.type === "instance" && missing.test(e.message ?? "")),
			JSON.stringify(events),
		);
		// What `deploy doctor` prints from the agent's answer.
		const doctor = await s.bridge.rpc.call("doctor", {});
		assert.deepEqual(doctor.secrets, { path: key, present: false, unreadable: ["vault"] });
		const line = secretsCheck(doctor.secrets);
		assert.equal(line.status, "fail");
		assert.match(line.message, /is missing: the env values of vault cannot be opened/);
		assert.match(line.hint ?? "", /Put the key file back from a backup, then deploy again/);
		// No key was made in its place: one that opens nothing would hide the cause.
		assert.equal(existsSync(key), false);
	});
});
