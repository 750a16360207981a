// Issue 13, item 1: a deploy right after the agent daemon died (kill -9, a crash, an
// upgrade) went "live" while its instances had been stopped by the new daemon's start-up
// reconcile, and the app answered 502. Real sshd, agent and Caddy; the daemon is killed
// the way the OOM killer would.
import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, test } from "vitest";
import { httpGet } from "../helpers/net.js";
import { startTestServer, type TestServer } from "./server.js";

const host = "hello.127.0.0.1.sslip.io";

describe("a deploy right after the agent was killed", () => {
	let server: TestServer;

	beforeAll(async () => {
		server = await startTestServer("hello");
		const first = await server.cli(["--json"]);
		assert.equal(first.code, 0, first.stderr + first.stdout);
	});

	afterAll(async () => {
		await server?.stop();
	});

	const kill = async (pidFile: string) => {
		const pid = Number(await readFile(join(server.sshd.agentHome, pidFile), "utf8"));
		process.kill(pid, "SIGKILL");
		while (await isAlive(pid)) await sleep(20);
	};

	// The proxy killed too (the OOM killer, a crash of both) makes the new daemon's start-up slower: the window was wider.
	const rounds = [
		{ round: 1, killed: ["agent.pid"] },
		{ round: 2, killed: ["agent.pid", "proxy/caddy.pid"] },
		{ round: 3, killed: ["agent.pid"] },
		{ round: 4, killed: ["agent.pid", "proxy/caddy.pid"] },
	];
	for (const { round, killed } of rounds) {
		test(`round ${round}, ${killed.join(" and ")} killed: the deploy says live, and its version is what answers once the old one has drained`, async () => {
			for (const pidFile of killed) await kill(pidFile);
			const file = join(server.appDir, "server.js");
			const text = (await readFile(file, "utf8")).replace(/const message = .*/, `const message = "round ${round}";`);
			await writeFile(file, text);
			const run = await server.cli(["--json"]);
			assert.equal(run.code, 0, run.stderr + run.stdout);
			assert.equal(run.last.status, "live");
			// The old release drains for a few seconds after "live"; every answer during and after must be the new one.
			const answers = new Map<string, number>();
			for (const end = Date.now() + 6_000; Date.now() < end; await sleep(100)) {
				const answer = await httpGet(server.httpPort, host).then(
					(a) => `${a.status} ${a.body.trim()}`,
					(error: Error) => `error ${error.message}`,
				);
				answers.set(answer, (answers.get(answer) ?? 0) + 1);
			}
			assert.deepEqual([...answers.keys()], [`200 round ${round}`], JSON.stringify(Object.fromEntries(answers)));
			const ps = JSON.parse((await server.cli(["ps", "--json"])).stdout) as { status: string }[];
			assert.ok(ps.length > 0 && ps.every((i) => i.status === "running"), JSON.stringify(ps));
		});
	}
});

async function isAlive(pid: number): Promise<boolean> {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}
