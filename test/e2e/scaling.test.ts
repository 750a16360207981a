// `deploy doctor`, autoscaling and `deploy ps` as a user runs them: the built CLI, a
// real sshd on 127.0.0.1, the real agent and a real Caddy, load from autocannon.
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import { afterAll, beforeAll, describe, test } from "vitest";
import type { InstanceInfo } from "../../core/api/index.js";
import type { DoctorReport, ScalingDecision } from "../../core/api/scaling.js";
import { startTestServer, type TestServer } from "./server.js";

/** autocannon ships no types: the part used here. */
const autocannon = createRequire(import.meta.url)("autocannon") as (options: { url: string; headers: Record<string, string>; connections: number; duration: number }) => { stop(): void };

const host = "burner.127.0.0.1.sslip.io";
/** /burn spins the CPU for 100 ms per request. */
const SERVER = `import { createServer } from "node:http";
createServer((request, response) => {
	if (request.url === "/burn") { const end = Date.now() + 100; while (Date.now() < end) {} }
	response.end("ok\\n");
}).listen(Number(process.env.PORT));
process.on("SIGTERM", () => process.exit(0));
`;
/** cpuUp is low because the machines this runs on are shared: a busy process gets a fifth of a core there. */
const DEPLOY_YAML = `app: burner
processes:
  web:
    command: node server.js
    healthcheck: { path: /, intervalMs: 100 }
    drainSeconds: 1
    autoscale: { min: 1, max: 2, cpuUp: 10, cpuDown: 1, memoryDown: 30, windowSeconds: 3, upCooldownSeconds: 0, downCooldownSeconds: 3600 }
    limits: { memory: 256M }
`;

describe("deploy doctor, autoscale and ps, through the CLI", () => {
	let server: TestServer;

	beforeAll(async () => {
		server = await startTestServer("hello");
		await writeFile(join(server.appDir, "server.js"), SERVER);
		await writeFile(join(server.appDir, "deploy.yaml"), DEPLOY_YAML);
	});

	afterAll(async () => {
		await server?.stop();
	});

	test("doctor --json: a line per check, the enforcement this server has, a small clock skew, exit 0", async () => {
		const run = await server.cli(["doctor", "--json"]);
		assert.equal(run.code, 0, run.stderr + run.stdout);
		const report = JSON.parse(run.stdout) as DoctorReport;
		assert.equal(report.server, "prod");
		assert.equal(report.ok, true);
		assert.deepEqual(
			report.checks.map((c) => c.name),
			["ssh", "agent", "proxy", "limits", "disk", "objects", "node", "boot", "isolation", "ports", "secrets", "clock"],
		);
		const by = Object.fromEntries(report.checks.map((c) => [c.name, c]));
		assert.match(by.ssh!.message, /host key matches the pinned SHA256:/);
		assert.equal(by.proxy!.status, "ok");
		assert.match(by.proxy!.message, /caddy is running/);
		assert.equal(by.node!.status, "ok");
		assert.ok(report.enforcement, "the agent says how limits are enforced");
		assert.equal(by.limits!.status, report.enforcement.mode === "watch" ? "warn" : "ok");
		assert.ok(by.limits!.message.startsWith(`${report.enforcement.mode}:`), by.limits!.message);
		// Same machine, same clock: well under the warning.
		assert.equal(typeof report.clockSkewMs, "number");
		assert.ok(Math.abs(report.clockSkewMs!) < 3_000, String(report.clockSkewMs));
		assert.equal(by.clock!.status, "ok");
		// A test server is a second agent on this machine (DEPLOY_AGENT_HOME): it says plainly that nothing starts it at boot.
		assert.equal(by.boot!.status, "warn");
		assert.match(by.boot!.message, /DEPLOY_AGENT_HOME.*nothing starts the agent/);
		// Issue 13: the agent runs as root here, so each app has a user of its own; the firewall is the system install's alone.
		assert.equal(by.isolation!.status, "ok", by.isolation!.message);
		assert.match(by.isolation!.message, /^own users: yes/);
		assert.equal(by.ports!.status, "warn");
		assert.match(by.ports!.message, /HOST=127\.0\.0\.1.*no firewall rule: this agent's home is .* \(DEPLOY_AGENT_HOME\): the host firewall belongs to the system install/);
		// No env values here, so nothing depends on a secrets key yet.
		assert.equal(by.secrets!.status, "ok", by.secrets!.message);

		const human = await server.cli(["doctor"]);
		assert.equal(human.code, 0, human.stderr);
		for (const name of ["ssh", "agent", "proxy", "limits", "disk", "objects", "node", "boot", "isolation", "ports", "secrets", "clock"]) assert.match(human.stdout, new RegExp(`^  (ok|warn|FAIL)\\s+${name}\\s+\\S`, "m"));
	});

	test("doctor names an unknown server as a usage error (exit 2)", async () => {
		const run = await server.cli(["doctor", "-s", "nope", "--json"]);
		assert.equal(run.code, 2, run.stdout);
		assert.equal((run.last.error as { code: string }).code, "SERVER_UNKNOWN");
	});

	test("under load the agent adds an instance; ps --json shows 2 and the decision's reason; autoscale log keeps it", async () => {
		const deploy = await server.cli(["--json"]);
		assert.equal(deploy.code, 0, deploy.stderr + deploy.stdout);
		const load = autocannon({ url: `http://127.0.0.1:${server.httpPort}/burn`, headers: { host }, connections: 4, duration: 45 });
		let instances: InstanceInfo[] = [];
		try {
			for (let tries = 0; tries < 45; tries++) {
				const ps = await server.cli(["ps", "--json"]);
				assert.equal(ps.code, 0, ps.stderr);
				instances = (JSON.parse(ps.stdout) as InstanceInfo[]).filter((i) => i.status === "running");
				// Scaled, and the decision recorded: it is written once the scale is done, which includes
				// the proxy's switch (400 ms after the second instance runs).
				if (instances.length === 2 && ["scale", "capped"].includes(instances[0]?.scaling?.last?.kind ?? "")) break;
				await new Promise((resolve) => setTimeout(resolve, 1_000));
			}
		} finally {
			load.stop();
		}
		assert.equal(instances.length, 2, JSON.stringify(instances));
		const scaling = instances[0]!.scaling!;
		assert.deepEqual([scaling.autoscale?.min, scaling.autoscale?.max, scaling.limits?.memoryBytes], [1, 2, 256 * 1024 ** 2]);
		// The last decision: the scale up, or, while the load lasts, "capped" at max 2.
		if (scaling.last?.kind === "capped") assert.match(scaling.last.reason, /^would scale up \(CPU \d+% > 10% averaged over 3 s\) but 2 is the most allowed: max 2/);
		else {
			assert.deepEqual([scaling.last?.kind, scaling.last?.action, scaling.last?.from, scaling.last?.to], ["scale", "up", 1, 2]);
			assert.match(scaling.last!.reason, /^CPU \d+% > 10% averaged over 3 s/);
		}

		const human = await server.cli(["ps"]);
		assert.equal(human.code, 0, human.stderr);
		// Its last decision by now: capped while the load lasted, or a scale down held by the cooldown once it stopped.
		assert.match(human.stdout, /^web: autoscale 1-2, limits memory 256 MiB \((watch|systemd|cgroup-v2)\); last: \d\d:\d\d:\d\d (up 1→2|held at 2 \((capped|cooldown)\)): .*CPU \d+%/m);

		const log = await server.cli(["autoscale", "log", "--json"]);
		assert.equal(log.code, 0, log.stderr);
		const decisions = JSON.parse(log.stdout) as ScalingDecision[];
		const up = decisions.find((d) => d.kind === "scale" && d.action === "up");
		assert.deepEqual([up?.from, up?.to], [1, 2], log.stdout);
		assert.match(up!.reason, /^CPU \d+% > 10% averaged over 3 s/);
		const table = await server.cli(["autoscale", "log"]);
		assert.match(table.stdout, /^TIME\s+PROCESS\s+KIND\s+CHANGE\s+REASON$/m);
		assert.match(table.stdout, /\sweb\s+scale\s+up 1→2\s+CPU/);
	});

	test("doctor against a server whose host key changed: the ssh line fails and says so, exit 1", async () => {
		await server.sshd.replaceHostKey();
		const run = await server.cli(["doctor", "--json"]);
		assert.equal(run.code, 1, run.stdout + run.stderr);
		const report = JSON.parse(run.stdout) as DoctorReport;
		assert.equal(report.ok, false);
		assert.deepEqual([report.checks.length, report.checks[0]?.name, report.checks[0]?.status], [1, "ssh", "fail"]);
		assert.match(report.checks[0]!.message, /HOST_KEY_CHANGED/);
		assert.ok(report.checks[0]!.hint, "a hint says what to do");
		const human = await server.cli(["doctor"]);
		assert.equal(human.code, 1);
		assert.match(human.stdout, /^ {2}FAIL\s+ssh\s+cannot reach the agent \(HOST_KEY_CHANGED\)/m);
	});

	test("doctor against a server that is gone: the ssh line fails, exit 1", async () => {
		await server.sshd.stop();
		const run = await server.cli(["doctor", "--json"]);
		assert.equal(run.code, 1, run.stdout + run.stderr);
		const report = JSON.parse(run.stdout) as DoctorReport;
		assert.equal(report.ok, false);
		assert.equal(report.checks[0]?.name, "ssh");
		assert.equal(report.checks[0]?.status, "fail");
		assert.ok(report.checks[0]?.message, JSON.stringify(report));
	});
});
