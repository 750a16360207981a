// The agent's daemon killed while a command waits on it (kill -9, the OOM killer): the
// built CLI, a real sshd, the real agent reached through its forwarded socket. The
// command must end at once with AGENT_DISCONNECTED, not wait forever, and running it
// again must work.
import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, test } from "vitest";
import type { CliRun } from "../helpers/cli.js";
import { httpGet } from "../helpers/net.js";
import { type BackgroundCli, startCli } from "./background-cli.js";
import { startTestServer, type TestServer } from "./server.js";

/** What "at once" means here: the CLI notices on the next packet, well under this. */
const PROMPTLY_MS = 5000;

describe("the agent's daemon killed during a command", () => {
	let server: TestServer;
	const host = "hello.127.0.0.1.sslip.io";

	beforeAll(async () => {
		server = await startTestServer("hello");
		const first = await server.cli(["--json"]);
		assert.equal(first.code, 0, first.stderr);
	});

	afterAll(async () => {
		await server?.stop();
	});

	/** The daemon serving now: a command run first makes sure one listens, so the next one takes its socket. */
	async function servingDaemon(): Promise<number> {
		const ps = await server.cli(["ps", "--json"]);
		assert.equal(ps.code, 0, ps.stderr);
		const pid = Number((await readFile(join(server.sshd.agentHome, "agent.pid"), "utf8")).trim());
		process.kill(pid, 0);
		return pid;
	}

	/** Kills the daemon under a running command and returns how the command ended and how long it took. */
	async function killUnder(command: BackgroundCli, daemon: number): Promise<{ run: CliRun; ms: number }> {
		const killedAt = Date.now();
		process.kill(daemon, "SIGKILL");
		const run = await Promise.race([command.done, sleep(30_000, null, { ref: false })]);
		if (!run) {
			command.kill("SIGKILL");
			assert.fail("the CLI still waited 30 s after the agent was killed");
		}
		return { run, ms: Date.now() - killedAt };
	}

	function assertDisconnected({ run, ms }: { run: CliRun; ms: number }): void {
		assert.ok(ms < PROMPTLY_MS, `the CLI took ${ms} ms to notice`);
		assert.notEqual(run.code, 0);
		const error = run.last.error as { code: string; message: string; hint: string };
		assert.equal(run.last.type, "error", run.stdout);
		assert.equal(error.code, "AGENT_DISCONNECTED");
		assert.match(error.message, /agent .* stopped/);
		assert.match(error.hint, /Run the command again/);
		assert.match(error.hint, /deploy doctor/);
	}

	test("`deploy logs -f` ends with AGENT_DISCONNECTED", async () => {
		const daemon = await servingDaemon();
		const follow = startCli(["logs", "-f", "--json"], { cwd: server.appDir, env: server.env });
		await follow.waitFor(/hello listening on/);
		assertDisconnected(await killUnder(follow, daemon));
		const again = await server.cli(["logs", "--json"]);
		assert.equal(again.code, 0, again.stderr);
		assert.match(again.stdout, /hello listening on/);
	});

	test("a deploy waiting on a slow build ends with AGENT_DISCONNECTED; the next deploy goes live", async () => {
		const packageFile = join(server.appDir, "package.json");
		const manifest = JSON.parse(await readFile(packageFile, "utf8")) as { scripts: Record<string, string> };
		manifest.scripts.build = "echo building now && sleep 60";
		await writeFile(packageFile, JSON.stringify(manifest));
		const daemon = await servingDaemon();
		const deploy = startCli(["--json"], { cwd: server.appDir, env: server.env });
		await deploy.waitFor(/building now/);
		assertDisconnected(await killUnder(deploy, daemon));
		// The live release outlives its daemon and the cut-off deploy.
		assert.equal((await httpGet(server.httpPort, host)).status, 200);

		manifest.scripts.build = "echo built";
		await writeFile(packageFile, JSON.stringify(manifest));
		const again = await server.cli(["--json"]);
		assert.equal(again.code, 0, again.stderr);
		assert.equal(again.last.status, "live");
		const response = await httpGet(server.httpPort, host);
		assert.equal(response.status, 200);
	});
});
