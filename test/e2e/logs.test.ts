// `deploy logs` filters and retention end to end: the built CLI, a real sshd, the real
// agent and Caddy, real app output. Every app line carries its time and instance.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { cp, mkdtemp, readFile, rm, stat, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, test } from "vitest";
import { type Sshd, startSshd } from "../fixtures/sshd.js";
import { repoRoot, runCli } from "../helpers/cli.js";
import { freePort, httpGet } from "../helpers/net.js";

interface LogEvent {
	type: string;
	line: string;
	time?: string;
	instance?: string;
}

const host = "hello.127.0.0.1.sslip.io";

describe("deploy logs --since --grep --instance, and retention", () => {
	let sshd: Sshd;
	let home: string;
	let appDir: string;
	let httpPort: number;
	const env = () => ({ DEPLOY_HOME: home });
	const cli = (args: string[]) => runCli(args, { cwd: appDir, env: env() });
	const logLines = async (args: string[]) => {
		const run = await cli(["logs", "--json", ...args]);
		assert.equal(run.code, 0, run.stderr);
		return run.lines as unknown as LogEvent[];
	};
	const logsDir = () => join(sshd.agentHome, "apps", "hello", "logs");

	beforeAll(async () => {
		home = await mkdtemp(join(tmpdir(), "deploy-e2e-home-"));
		appDir = await mkdtemp(join(tmpdir(), "deploy-e2e-logs-"));
		await cp(join(repoRoot, "examples", "hello"), appDir, { recursive: true });
		// A rotation check every 200 ms, so the retention acts while the test waits.
		sshd = await startSshd({ env: { DEPLOY_AGENT_LOG_CHECK_MS: "200" } });
		httpPort = await freePort();
		const add = await runCli(
			["servers", "add", "prod", `${sshd.user}@127.0.0.1`, "--port", String(sshd.port), "--identity", sshd.identityFile, "--proxy", "caddy", "--http-port", String(httpPort), "--https-port", String(await freePort()), "--no-tls", "--accept-new-host-key"],
			{ cwd: home, env: env() },
		);
		assert.equal(add.code, 0, add.stderr);
		const deploy = await cli(["--json"]);
		assert.equal(deploy.code, 0, deploy.stderr);
		const scale = await cli(["scale", "web=2", "--json"]);
		assert.equal(scale.code, 0, scale.stderr);
	});

	afterAll(async () => {
		await sshd?.stop();
		await rm(home, { recursive: true, force: true });
		await rm(appDir, { recursive: true, force: true });
	});

	test("every app line has its time and instance; the plain view prints them in front", async () => {
		const lines = await logLines([]);
		const listening = lines.filter((l) => /^hello listening on \d+$/.test(l.line));
		assert.equal(listening.length, 2, JSON.stringify(lines));
		for (const line of listening) {
			assert.match(line.time ?? "", /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
			assert.equal(line.instance, `web:${line.line.split(" ").at(-1)}`);
		}
		const plain = await cli(["logs"]);
		assert.match(plain.stdout, /^\d{4}-\d\d-\d\dT[\d:.]+Z web:\d+ hello listening on \d+$/m);
	});

	test("--instance N keeps the lines of the Nth instance of `deploy ps`", async () => {
		const ps = JSON.parse((await cli(["ps", "--json"])).stdout) as { port: number }[];
		assert.equal(ps.length, 2);
		for (const [n, row] of ps.entries()) {
			const lines = await logLines(["--instance", String(n + 1)]);
			assert.ok(lines.length > 0);
			assert.ok(lines.every((l) => l.instance === `web:${row.port}`), JSON.stringify(lines));
			assert.ok(lines.some((l) => l.line === `hello listening on ${row.port}`));
		}
		const none = await cli(["logs", "--instance", "7", "--json"]);
		assert.equal(none.code, 1);
		assert.equal((none.last.error as { code: string }).code, "UNKNOWN_INSTANCE");
	});

	test("--grep is a plain, case-insensitive substring; --since an ISO time or a duration", async () => {
		const mark = new Date().toISOString();
		await sleep(20);
		await httpGet(httpPort, host, "/After-Mark?x=(1)");
		await httpGet(httpPort, host, "/other");
		const grep = await logLines(["--grep", "after-mark?X=(1"]);
		assert.deepEqual(
			grep.map((l) => l.line),
			["GET /After-Mark?x=(1)"],
		);
		const since = await logLines(["--since", mark]);
		assert.deepEqual(since.map((l) => l.line).sort(), ["GET /After-Mark?x=(1)", "GET /other"]);
		assert.ok(since.every((l) => (l.time ?? "") >= mark));
		const hour = await logLines(["--since", "1h", "--grep", "listening"]);
		assert.equal(hour.length, 2);
		const bad = await cli(["logs", "--since", "last tuesday"]);
		assert.equal(bad.code, 2);
	});

	test("following with a filter prints only the matching new lines", async () => {
		const bin = fileURLToPath(new URL("../../bin/deploy", import.meta.url));
		const child = spawn(process.execPath, [bin, "logs", "-f", "-n", "0", "--grep", "get /WANTED"], { cwd: appDir, env: { ...process.env, ...env() }, stdio: ["ignore", "pipe", "pipe"] });
		let out = "";
		child.stdout.on("data", (chunk) => (out += chunk));
		try {
			// The follow starts some time after the command does: ask until a line shows.
			for (let i = 0; i < 300 && !out.includes("GET /wanted"); i++) {
				await httpGet(httpPort, host, "/skip-me");
				await httpGet(httpPort, host, "/wanted");
				await sleep(200);
			}
		} finally {
			child.kill("SIGINT");
			await new Promise((resolve) => child.once("close", resolve));
		}
		const printed = out.split("\n").filter(Boolean);
		assert.ok(printed.length > 0);
		assert.ok(printed.every((l) => /^\S+Z web:\d+ GET \/wanted$/.test(l)), out);
	});

	test("rotated logs older than 30 days are deleted; newer ones stay", async () => {
		const old = join(logsDir(), "app.log.3");
		const recent = join(logsDir(), "app.log.1");
		await writeFile(old, "2026-01-01T00:00:00.000Z web:1 very old\n");
		await writeFile(recent, "2026-01-01T00:00:00.000Z web:1 recent enough\n");
		const fortyDaysAgo = new Date(Date.now() - 40 * 86_400_000);
		await utimes(old, fortyDaysAgo, fortyDaysAgo);
		for (let i = 0; i < 100 && (await stat(old).catch(() => null)); i++) await sleep(200);
		assert.equal(await stat(old).catch(() => null), null, "the expired file is gone");
		assert.ok(await stat(recent));
	});

	test("the agent's own log is JSON lines", async () => {
		const lines = (await readFile(join(sshd.agentHome, "agent.log"), "utf8")).split("\n").filter(Boolean);
		assert.ok(lines.length > 3);
		for (const line of lines) {
			const entry = JSON.parse(line) as { time: string; level: string; msg: string };
			assert.match(entry.time, /^\d{4}-\d\d-\d\dT/);
			assert.ok(["info", "warn", "error"].includes(entry.level));
			assert.equal(typeof entry.msg, "string");
		}
	});
});
