// Issue 3 through the CLI, against a real sshd, the agent and Caddy: instances and
// scaling, a failed health check, concurrent deploys and the lock, rollback, and an
// SSH connection cut mid-upload. examples/versioned answers its version.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, test } from "vitest";
import { httpGet } from "../helpers/net.js";
import { startCli } from "./background-cli.js";
import { startTestServer, type TestServer } from "./server.js";

const host = "versioned.127.0.0.1.sslip.io";

interface Instance {
	process: string;
	status: string;
	pid: number | null;
	port: number;
	uptimeSeconds: number | null;
	restarts: number;
	cpuPercent: number | null;
	memoryBytes: number | null;
}

interface Record_ {
	id: string;
	status: string;
	error: { code: string; message: string; details?: string[] } | null;
}

describe("releases, instances and the deploy lock, through the CLI", () => {
	let server: TestServer;
	let scratch: string;
	let deployYaml: string;

	const answer = async () => (await httpGet(server.httpPort, host)).body.trim();
	const setVersion = (version: string, dir = server.appDir) => writeFile(join(dir, "VERSION"), `${version}\n`);
	const running = async () => {
		const ps = await server.cli(["ps", "--json"]);
		assert.equal(ps.code, 0, ps.stderr);
		return (JSON.parse(ps.stdout) as Instance[]).filter((i) => i.status === "running");
	};
	const history = async () => JSON.parse((await server.cli(["ls", "--json"])).stdout) as Record_[];

	beforeAll(async () => {
		server = await startTestServer("versioned");
		scratch = await mkdtemp(join(tmpdir(), "deploy-e2e-scratch-"));
		deployYaml = await readFile(join(server.appDir, "deploy.yaml"), "utf8");
		const first = await server.cli(["--json"]);
		assert.equal(first.code, 0, first.stderr + first.stdout);
		assert.equal(await answer(), "v1");
	});

	afterAll(async () => {
		await server?.stop();
		await rm(scratch, { recursive: true, force: true });
	});

	test("deploy ps shows one row per instance: process, status, pid, port, uptime, restarts, CPU, memory", async () => {
		const instances = await running();
		assert.equal(instances.length, 2, JSON.stringify(instances));
		for (const instance of instances) {
			assert.equal(instance.process, "web");
			assert.equal(typeof instance.pid, "number");
			assert.equal(instance.restarts, 0);
			assert.equal(typeof instance.uptimeSeconds, "number");
		}
		assert.equal(new Set(instances.map((i) => i.port)).size, 2, "each instance has its own port");
		const human = await server.cli(["ps"]);
		assert.equal(human.code, 0, human.stderr);
		assert.match(human.stdout, /^PROCESS\s+STATUS\s+PID\s+PORT\s+UPTIME\s+RESTARTS\s+CPU\s+MEMORY/);
		assert.equal(human.stdout.match(/^web\s+running\s+\d+\s+\d+/gm)?.length, 2, human.stdout);
	});

	test("deploy scale refuses bad counts and changes nothing; web=3 then web=2 change the running instances", async () => {
		for (const bad of [["web=three"], ["web:3"], ["web=65"], ["Web=1"], ["web=1", "web=2"]]) {
			const run = await server.cli(["scale", ...bad, "--json"]);
			assert.equal(run.code, 2, `${bad.join(" ")}: ${run.stdout}${run.stderr}`);
			assert.equal((run.last.error as { code: string }).code, "BAD_ARGUMENT");
		}
		const human = await server.cli(["scale", "web=three"]);
		assert.equal(human.code, 2);
		assert.match(human.stderr, /"web=three" is not a process=count pair/);
		assert.match(human.stderr, /hint/);
		assert.equal((await running()).length, 2);

		const up = await server.cli(["scale", "web=3", "--json"]);
		assert.equal(up.code, 0, up.stderr + up.stdout);
		assert.deepEqual(up.last.processes, { web: 3 });
		assert.equal((await running()).length, 3);
		assert.equal(await answer(), "v1");

		const down = await server.cli(["scale", "web=2"]);
		assert.equal(down.code, 0, down.stderr);
		assert.equal(down.stdout.trim(), "web=2");
		assert.equal((await running()).length, 2);
	});

	test("a release whose health check fails: deploy exits 1 with the reason, the old version answers, deploy ls shows why", async () => {
		await setVersion("v2");
		await writeFile(join(server.appDir, "deploy.yaml"), deployYaml.replace("path: /healthz", "path: /status/500").replace("timeoutSeconds: 20", "timeoutSeconds: 2"));
		const run = await server.cli(["--json"]);
		assert.equal(run.code, 1, run.stdout);
		const error = (run.last as { error: { code: string; message: string; details?: string[] } }).error;
		assert.equal(error.code, "HEALTHCHECK_FAILED", JSON.stringify(error));
		assert.match(`${error.message}\n${error.details?.join("\n")}`, /500/);
		assert.equal(await answer(), "v1");

		const [newest] = await history();
		assert.equal(newest?.status, "failed");
		assert.equal(newest?.error?.code, "HEALTHCHECK_FAILED");
		const human = await server.cli(["ls"]);
		assert.match(human.stdout, new RegExp(`${newest?.id}.*failed.*${escapeRegExp(newest!.error!.message.split("\n")[0]!)}`));
		await writeFile(join(server.appDir, "deploy.yaml"), deployYaml);
	});

	test("two deploys of one app run one after the other: the second says it waits; with --no-wait it fails at once", async () => {
		// The first deploy's build holds the lock until the test opens the gate: no timing involved.
		const gate = join(scratch, "gate");
		const first = join(scratch, "first");
		await cp(server.appDir, first, { recursive: true });
		await setVersion("v3", first);
		const build = `i=0; while [ ! -e ${gate} ] && [ $i -lt 1200 ]; do sleep 0.05; i=$((i+1)); done; echo gate open`;
		await writeFile(join(first, "deploy.yaml"), `${deployYaml}build: ${JSON.stringify(build)}\n`);
		const holder = startCli(["--json"], { cwd: first, env: server.env });
		try {
			await holder.waitFor(/"step":"build","status":"started"/);

			const refused = await server.cli(["--no-wait", "--json"]);
			assert.equal(refused.code, 1, refused.stdout + refused.stderr);
			const error = refused.last.error as { code: string; message: string; hint?: string };
			assert.equal(error.code, "DEPLOY_IN_PROGRESS");
			assert.match(error.message, /deployment d[0-9a-z]+/i);

			const waiter = startCli([], { cwd: server.appDir, env: server.env });
			await waiter.waitFor(/waiting for deployment d[0-9a-z]+ to finish/);
			await writeFile(gate, "");
			const [held, waited] = await Promise.all([holder.done, waiter.done]);
			assert.equal(held.code, 0, held.stderr + held.stdout);
			assert.equal(held.last.status, "live");
			assert.equal(waited.code, 0, waited.stderr);
			assert.match(waited.stderr, /is live/);
			assert.equal(await answer(), "v2", "the deploy that waited went live last");
			const [newest, previous] = await history();
			assert.deepEqual([newest?.status, previous?.status, previous?.id], ["live", "superseded", held.last.id]);
		} finally {
			await writeFile(gate, "");
			await holder.done;
		}
	});

	test("deploy rollback makes the previous release live again, or the one named", async () => {
		const back = await server.cli(["rollback", "--json"]);
		assert.equal(back.code, 0, back.stderr + back.stdout);
		assert.equal(back.last.status, "live");
		assert.equal(back.last.url, `http://${host}:${server.httpPort}`);
		assert.equal(typeof back.last.durationMs, "number");
		assert.equal(await answer(), "v3");

		const v1 = (await history()).at(-1)!;
		const named = await server.cli(["rollback", v1.id]);
		assert.equal(named.code, 0, named.stderr);
		assert.equal(named.stdout.trim(), `http://${host}:${server.httpPort}`);
		assert.match(named.stderr, new RegExp(`rolled back: ${v1.id} is live \\(\\d`));
		assert.equal(await answer(), "v1");

		const bad = await server.cli(["rollback", "not-an-id"]);
		assert.equal(bad.code, 2, bad.stderr);
		const unknown = await server.cli(["rollback", "d000000000", "--json"]);
		assert.equal(unknown.code, 1, unknown.stdout);
		assert.equal(await answer(), "v1");
	});

	test("an SSH connection cut mid-upload: the live release serves, the history stays consistent, the next deploy succeeds", async () => {
		const before = await history();
		const live = before.find((r) => r.status === "live")!;
		// Enough incompressible files for several upload batches.
		await mkdir(join(server.appDir, "assets"));
		for (let i = 0; i < 16; i++) await writeFile(join(server.appDir, "assets", `blob-${i}.bin`), randomBytes(1024 * 1024));
		await setVersion("v4");
		const cut = startCli(["--json"], { cwd: server.appDir, env: server.env });
		await cut.waitFor(/"type":"progress","step":"upload"/);
		cut.kill("SIGKILL");
		assert.notEqual((await cut.done).last.type, "result", "the deploy was cut before it finished");

		assert.equal(await answer(), "v1");
		const after = await history();
		assert.equal(after.filter((r) => r.status === "live").length, 1);
		assert.equal(after.find((r) => r.status === "live")?.id, live.id);
		assert.ok(
			after.every((r) => ["live", "superseded", "failed", "interrupted"].includes(r.status)),
			JSON.stringify(after.map((r) => r.status)),
		);
		assert.equal((await running()).length, 2);

		const next = await server.cli(["--json"]);
		assert.equal(next.code, 0, next.stderr + next.stdout);
		assert.equal(await answer(), "v4");
	});
});

function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
