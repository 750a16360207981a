// The agent end to end on this machine: a real daemon, the builtin proxy on a free
// port, examples/hello deployed as a real process, real HTTP on 127.0.0.1.
import assert from "node:assert/strict";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, test } from "vitest";
import { type DeployEvent, packObjects } from "../../../core/protocol/index.js";
import {
	type Bridge,
	connectBridge,
	eventually,
	freePort,
	httpGet,
	installAgent,
	isRunning,
	killGroup,
	recordedPids,
	rejectsWithCode,
	repoRoot,
	sha256File,
	putParams,
	snapshot,
	upload,
} from "../../helpers/agent-harness.js";

const helloDir = join(repoRoot, "examples", "hello");
const helloServer = readFileSync(join(helloDir, "server.js"), "utf8");
const changedServer = helloServer.replace("Hello from Deploy Platform", "Hello again from Deploy Platform");

describe("agent", () => {
	let home: string;
	let agentPath: string;
	let bridge: Bridge;
	let httpPort: number;
	const bridges: Bridge[] = [];
	const open = () => {
		const b = connectBridge(agentPath, home);
		bridges.push(b);
		return b;
	};
	const viaProxy = () => httpGet(httpPort, "hello.localhost");
	const runningInstance = () =>
		(JSON.parse(readFileSync(join(home, "apps", "hello", "state.json"), "utf8")) as { instances: { pid: number; port: number; status: string }[] }).instances.find((i) => i.status === "running")!;

	beforeAll(async () => {
		home = await mkdtemp(join(tmpdir(), "deploy-agent-"));
		agentPath = installAgent(home);
		httpPort = await freePort();
		bridge = open();
	});

	afterAll(async () => {
		// Stop the daemon first so it does not restart the apps we stop next.
		await open()
			.rpc.call("shutdown", {})
			.catch(() => undefined);
		for (const b of bridges) await b.close();
		for (const pid of recordedPids(home)) killGroup(pid);
		await rm(home, { recursive: true, force: true });
	});

	test("hello reports the bundle's sha256 and no setup yet", async () => {
		const hello = await bridge.rpc.call("hello", { client: "test" });
		assert.equal(hello.agentVersion, sha256File(agentPath));
		assert.equal(hello.home, home);
		assert.equal(hello.setup, null);
	});

	test("setup starts the builtin proxy and streams its log", async () => {
		const events: DeployEvent[] = [];
		const result = await bridge.rpc.call("setup", { proxy: "builtin", httpPort, httpsPort: await freePort(), address: "127.0.0.1" }, { onEvent: (e) => events.push(e) });
		assert.deepEqual(result, { proxy: "builtin", proxyVersion: null });
		assert.ok(events.some((e) => e.type === "step" && e.step === "proxy" && e.status === "done"));
		const hello = await bridge.rpc.call("hello", { client: "test" });
		assert.equal(hello.setup?.proxy, "builtin");
	});

	test("only the objects the agent lacks are reported missing", async () => {
		const snap = snapshot(helloDir);
		const ids = snap.manifest.map((e) => e.id);
		assert.deepEqual((await bridge.rpc.call("objects.missing", { ids })).missing, ids);
		const [first] = ids;
		await bridge.rpc.call("objects.put", putParams([snap.contents.get(first!)!]));
		assert.deepEqual((await bridge.rpc.call("objects.missing", { ids })).missing, ids.slice(1));
		await upload(bridge.rpc, snap);
		assert.deepEqual((await bridge.rpc.call("objects.missing", { ids })).missing, []);
	});

	test("an object whose content does not match its id is refused", async () => {
		const { deflateRawSync } = await import("node:zlib");
		const id = "0".repeat(40);
		await rejectsWithCode(bridge.rpc.call("objects.put", packObjects([{ id, size: 1 }], deflateRawSync(Buffer.from("x")).toString("base64"))), "OBJECT_CORRUPT");
		assert.deepEqual((await bridge.rpc.call("objects.missing", { ids: [id] })).missing, [id]);
	});

	test("deploy serves the app through the proxy", async () => {
		const snap = snapshot(helloDir);
		await upload(bridge.rpc, snap);
		const events: DeployEvent[] = [];
		const record = await bridge.rpc.call("deploy", { app: { name: "hello", processes: {}, env: {}, domains: [] }, manifest: snap.manifest, commit: null }, { onEvent: (e) => events.push(e) });
		assert.equal(record.status, "live");
		assert.equal(record.url, `http://hello.localhost:${httpPort}`);
		assert.deepEqual(await viaProxy(), { status: 200, body: "Hello from Deploy Platform\n" });
		const outcomes = events.flatMap((e) => (e.type === "step" && e.status !== "started" ? [[e.step, e.status]] : []));
		assert.deepEqual(outcomes, [
			["prepare", "done"],
			["install", "skipped"],
			["build", "skipped"],
			["start", "done"],
			["healthcheck", "done"],
			["route", "done"],
			["cleanup", "done"],
		]);
	});

	test("a redeploy of a changed copy serves the new answer", async () => {
		const snap = snapshot(helloDir, { "server.js": changedServer });
		await upload(bridge.rpc, snap);
		const oldPid = runningInstance().pid;
		const record = await bridge.rpc.call("deploy", { app: { name: "hello", processes: {}, env: {}, domains: [] }, manifest: snap.manifest, commit: "abc123" });
		assert.equal(record.status, "live");
		assert.equal(record.commit, "abc123");
		assert.deepEqual(await viaProxy(), { status: 200, body: "Hello again from Deploy Platform\n" });
		// The old release is drained, then stopped.
		await eventually(async () => assert.equal(isRunning(oldPid), false));
	});

	test("a failing build fails the deploy and leaves the previous release serving", async () => {
		const snap = snapshot(helloDir, { "server.js": helloServer.replace("Hello from", "Broken from") });
		await upload(bridge.rpc, snap);
		const lines: string[] = [];
		const error = await rejectsWithCode(
			bridge.rpc.call("deploy", { app: { name: "hello", build: "echo building; exit 3", processes: {}, env: {}, domains: [] }, manifest: snap.manifest, commit: null }, { onEvent: (e) => e.type === "log" && lines.push(e.line) }),
			"BUILD_FAILED",
		);
		assert.match(error.message, /exit 3.*code 3/);
		assert.deepEqual(error.details, ["building"]);
		assert.ok(lines.includes("building"));
		assert.deepEqual(await viaProxy(), { status: 200, body: "Hello again from Deploy Platform\n" });
	});

	test("an app that exits at once fails the deploy and leaves the previous release serving", async () => {
		const snap = snapshot(helloDir);
		const app = { name: "hello", processes: { web: { command: "node -e 'process.exit(1)'", instances: 1, healthcheck: { timeoutSeconds: 30 } } }, env: {}, domains: [] };
		await rejectsWithCode(bridge.rpc.call("deploy", { app, manifest: snap.manifest, commit: null }), "APP_CRASHED");
		assert.deepEqual(await viaProxy(), { status: 200, body: "Hello again from Deploy Platform\n" });
	});

	test("an app that never listens fails its health check", async () => {
		const snap = snapshot(helloDir);
		const app = { name: "hello", processes: { web: { command: "node -e 'setInterval(() => {}, 1000)'", instances: 1, healthcheck: { timeoutSeconds: 1 } } }, env: {}, domains: [] };
		const error = await rejectsWithCode(bridge.rpc.call("deploy", { app, manifest: snap.manifest, commit: null }), "HEALTHCHECK_FAILED");
		assert.match(error.details?.[0] ?? "", /ECONNREFUSED/);
		assert.deepEqual(await viaProxy(), { status: 200, body: "Hello again from Deploy Platform\n" });
	});

	test("a deploy whose files were never uploaded fails with OBJECTS_MISSING", async () => {
		const manifest = [{ path: "server.js", mode: "100644" as const, id: "1".repeat(40) }];
		const error = await rejectsWithCode(bridge.rpc.call("deploy", { app: { name: "hello", processes: {}, env: {}, domains: [] }, manifest, commit: null }), "OBJECTS_MISSING");
		assert.deepEqual(error.details, ["1".repeat(40)]);
	});

	test("a cancelled deploy is interrupted and its build is killed", async () => {
		const snap = snapshot(helloDir);
		const controller = new AbortController();
		// The build says its pid on its output: it runs as the app's user, who may write nothing into the agent's home.
		let buildPid = 0;
		const app = { name: "hello", build: "echo started $$; sleep 60", processes: {}, env: {}, domains: [] };
		const onEvent = (e: { type: string; line?: string }) => {
			const pid = e.type === "log" ? /^started (\d+)$/.exec(e.line ?? "")?.[1] : undefined;
			if (!pid) return;
			buildPid = Number(pid);
			controller.abort();
		};
		const call = bridge.rpc.call("deploy", { app, manifest: snap.manifest, commit: null }, { signal: controller.signal, onEvent });
		await rejectsWithCode(call, "CANCELLED");
		assert.ok(buildPid > 0);
		await eventually(async () => assert.equal(isRunning(buildPid), false));
		const [latest] = await bridge.rpc.call("deployments.list", { app: "hello", limit: 1 });
		assert.equal(latest?.status, "interrupted");
		assert.deepEqual(await viaProxy(), { status: 200, body: "Hello again from Deploy Platform\n" });
	});

	test("deployments.list shows every deployment, newest first", async () => {
		const list = await bridge.rpc.call("deployments.list", { app: "hello" });
		assert.deepEqual(
			list.map((d) => [d.status, d.error?.code ?? null]),
			[
				["interrupted", "CANCELLED"],
				["failed", "OBJECTS_MISSING"],
				["failed", "HEALTHCHECK_FAILED"],
				["failed", "APP_CRASHED"],
				["failed", "BUILD_FAILED"],
				["live", null],
				["superseded", null],
			],
		);
	});

	test("logs returns the app's output", async () => {
		const lines: string[] = [];
		const result = await bridge.rpc.call("logs", { app: "hello", lines: 100 }, { onEvent: (e) => e.type === "log" && lines.push(e.line) });
		assert.equal(result.lines, lines.length);
		assert.ok(lines.some((l) => /^hello listening on \d+$/.test(l)), lines.join("\n"));
		assert.ok(lines.includes("GET /"));
	});

	test("logs --follow streams new lines until cancelled", async () => {
		const controller = new AbortController();
		const seen: string[] = [];
		const call = bridge.rpc.call("logs", { app: "hello", lines: 0, follow: true }, {
			signal: controller.signal,
			onEvent: (e) => {
				if (e.type !== "log") return;
				seen.push(e.line);
				if (e.line === "GET /") controller.abort();
			},
		});
		// The follow starts at the end of the log some time after the call is sent: ask until a request shows.
		while (!controller.signal.aborted) {
			await viaProxy();
			await new Promise((resolve) => setTimeout(resolve, 100));
		}
		const result = await call;
		assert.ok(seen.includes("GET /"));
		assert.equal(result.lines, seen.length);
	});

	test("apps keep answering while the daemon is dead, and connect brings it back", async () => {
		const pid = Number(readFileSync(join(home, "agent.pid"), "utf8"));
		const { port } = runningInstance();
		process.kill(pid, "SIGKILL");
		await bridge.close();
		assert.deepEqual(await httpGet(port), { status: 200, body: "Hello again from Deploy Platform\n" });
		bridge = open();
		const hello = await bridge.rpc.call("hello", { client: "test" });
		assert.equal(hello.agentVersion, sha256File(agentPath));
		assert.notEqual(Number(readFileSync(join(home, "agent.pid"), "utf8")), pid);
		// The builtin proxy lived in the dead daemon: the new one restores its routes.
		assert.deepEqual(await eventually(viaProxy), { status: 200, body: "Hello again from Deploy Platform\n" });
	});

	test("an adopted app that dies is restarted on the same port", async () => {
		const before = runningInstance();
		process.kill(before.pid, "SIGKILL");
		const after = await eventually(async () => {
			const now = runningInstance();
			assert.notEqual(now.pid, before.pid);
			return now;
		}, 100);
		assert.equal(after.port, before.port);
		assert.deepEqual(await eventually(() => httpGet(after.port)), { status: 200, body: "Hello again from Deploy Platform\n" });
	});

	test("a client with another agent version replaces the daemon; apps keep serving", async () => {
		const upgraded = join(home, "bin", "agent-next.mjs");
		writeFileSync(upgraded, `${readFileSync(agentPath, "utf8")}\n// next version\n`);
		const { pid, port } = runningInstance();
		const next = connectBridge(upgraded, home);
		bridges.push(next);
		const hello = await next.rpc.call("hello", { client: "test" });
		assert.equal(hello.agentVersion, sha256File(upgraded));
		assert.notEqual(hello.agentVersion, sha256File(agentPath));
		assert.equal(runningInstance().pid, pid);
		assert.deepEqual(await httpGet(port), { status: 200, body: "Hello again from Deploy Platform\n" });
		assert.deepEqual(await eventually(viaProxy), { status: 200, body: "Hello again from Deploy Platform\n" });
	});
});

describe("agent daemon start", () => {
	test("bridges connecting at once share one daemon", async () => {
		const home = await mkdtemp(join(tmpdir(), "deploy-agent-"));
		const agentPath = installAgent(home);
		const bridges = [0, 1, 2].map(() => connectBridge(agentPath, home));
		try {
			const hellos = await Promise.all(bridges.map((b) => b.rpc.call("hello", { client: "test" })));
			assert.deepEqual(new Set(hellos.map((h) => h.agentVersion)), new Set([sha256File(agentPath)]));
			// Each bridge may have started a daemon; all but the first step aside and exit. A
			// late one still has to load the bundle before it can see the socket answer, which
			// took over 10 s once on the loaded CI machine: wait up to 30 s.
			await eventually(async () => assert.equal(daemonsOf(agentPath).length, 1), 150);
			await bridges[0]!.rpc.call("shutdown", {});
			await eventually(async () => assert.equal(daemonsOf(agentPath).length, 0));
		} finally {
			for (const b of bridges) await b.close();
			for (const pid of daemonsOf(agentPath)) process.kill(pid, "SIGKILL");
			await rm(home, { recursive: true, force: true });
		}
	});
});

/** The live daemon processes running this agent file (zombies excluded). */
function daemonsOf(agentPath: string): number[] {
	return readdirSync("/proc")
		.filter((name) => /^\d+$/.test(name))
		.map(Number)
		.filter((pid) => {
			try {
				return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ").includes(`${agentPath} daemon`) && isRunning(pid);
			} catch {
				return false;
			}
		});
}
