// `deploy servers status` as a user runs it: the built CLI, a real sshd on 127.0.0.1,
// the real agent and a real Caddy; then the same server gone.
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, test } from "vitest";
import type { ServerStatus } from "../../core/api/index.js";
import { type Sshd, startSshd } from "../fixtures/sshd.js";
import { runCli } from "../helpers/cli.js";
import { freePort } from "../helpers/net.js";

describe("deploy servers status", () => {
	let sshd: Sshd;
	let home: string;
	let sshdStopped = false;
	const env = () => ({ DEPLOY_HOME: home });

	beforeAll(async () => {
		home = await mkdtemp(join(tmpdir(), "deploy-e2e-status-"));
		const [started, httpPort, httpsPort] = await Promise.all([startSshd(), freePort(), freePort()]);
		sshd = started;
		const args = ["servers", "add", "prod", `${sshd.user}@127.0.0.1`, "--port", String(sshd.port), "--identity", sshd.identityFile];
		const add = await runCli([...args, "--proxy", "caddy", "--http-port", String(httpPort), "--https-port", String(httpsPort), "--accept-new-host-key"], { env: env() });
		assert.equal(add.code, 0, add.stderr);
	});

	afterAll(async () => {
		if (!sshdStopped) await sshd?.stop();
		await rm(home, { recursive: true, force: true });
	});

	test("--json: reachable, the agent, Caddy running, disk and memory", async () => {
		const run = await runCli(["servers", "status", "--json"], { env: env() });
		assert.equal(run.code, 0, run.stderr + run.stdout);
		const [status, ...others] = JSON.parse(run.stdout) as ServerStatus[];
		assert.equal(others.length, 0);
		assert.equal(status?.name, "prod");
		assert.equal(status.reachable, true);
		const health = status.health!;
		assert.match(health.agent.version, /^[0-9a-f]{64}$/);
		assert.equal(status.agentVersion, health.agent.version);
		assert.deepEqual(health.proxy, { kind: "caddy", running: true });
		assert.equal(health.disk.path, sshd.agentHome);
		assert.ok(health.disk.totalBytes > 0 && health.disk.freeBytes > 0, JSON.stringify(health.disk));
		assert.ok(health.memory.totalBytes > 0 && health.memory.availableBytes > 0, JSON.stringify(health.memory));
		assert.ok(health.cpus >= 1);
		assert.deepEqual(health.instances, { total: 0, running: 0, crashed: 0 });
	});

	test("for people: one line for the named server", async () => {
		const run = await runCli(["servers", "status", "prod"], { env: env() });
		assert.equal(run.code, 0, run.stderr);
		const [header, line, ...rest] = run.stdout.trimEnd().split("\n");
		assert.match(header ?? "", /^SERVER\s+STATE\s+AGENT\s+PROXY\s+DISK FREE\s+MEMORY AVAILABLE\s+LOAD\s+APPS$/);
		assert.match(line ?? "", /^prod\s+reachable\s+[0-9a-f]{12}\s+caddy running\s+\d+(?:\.\d+)? [kKMGT]iB of \d+(?:\.\d+)? [kKMGT]iB\s+.* of .*\s+\d+\.\d\d on \d+ CPUs?\s+0 apps, 0\/0 instances running$/);
		assert.deepEqual(rest, []);
	});

	test("an unknown server is a usage error", async () => {
		const run = await runCli(["servers", "status", "nope"], { env: env() });
		assert.equal(run.code, 2);
		assert.match(run.stderr, /no server named "nope"/);
	});

	test("a server that is gone: reachable false with why, and exit 1", async () => {
		await sshd.stop();
		sshdStopped = true;
		const run = await runCli(["servers", "status", "--json"], { env: env() });
		assert.equal(run.code, 1, run.stderr);
		const [status] = JSON.parse(run.stdout) as ServerStatus[];
		assert.equal(status?.reachable, false);
		assert.equal(status.health, undefined);
		assert.ok(status.error?.message, JSON.stringify(status));
		const human = await runCli(["servers", "status"], { env: env() });
		assert.equal(human.code, 1);
		assert.match(human.stdout, /^prod\s+unreachable\s/m);
	});
});
