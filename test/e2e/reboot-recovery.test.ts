// Issue 15, item 1: boot recovery goes live the way a deploy does. After a reboot the
// live release's instances are gone, and the port one of them had may be another
// service's by the time the agent starts (ports are handed out at deploy time, and
// nothing reserves them across a reboot). Restarting the instance on that port failed
// and left the route on it, so the app's domain answered with the other service. Now
// the gone instances are replaced through goLive: fresh ports, a health check, the
// route switched to them. Real sshd, agent and Caddy; the reboot is every process of
// the server killed (the agent, the proxy, the app), state.json left as it was.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, test } from "vitest";
import { httpGet } from "../helpers/net.js";
import { startTestServer, type TestServer } from "./server.js";

const host = "hello.127.0.0.1.sslip.io";

interface PsRow {
	process: string;
	port: number;
	pid: number | null;
	status: string;
}

describe("a reboot after which another service holds an instance's port", () => {
	let server: TestServer;
	let squatter: Server | null = null;

	beforeAll(async () => {
		server = await startTestServer("hello");
		const first = await server.cli(["--json"]);
		assert.equal(first.code, 0, first.stderr + first.stdout);
	});

	afterAll(async () => {
		squatter?.close();
		await server?.stop();
	});

	const ps = async (): Promise<PsRow[]> => {
		const run = await server.cli(["ps", "--json"]);
		assert.equal(run.code, 0, run.stderr + run.stdout);
		return JSON.parse(run.stdout) as PsRow[];
	};

	const killPidFile = async (file: string) => {
		const pid = Number(await readFile(join(server.sshd.agentHome, file), "utf8"));
		await killAndWait(pid, pid);
	};

	test("the app answers from a new instance on a fresh port, health-checked, and the route left the taken one", async () => {
		const before = await httpGet(server.httpPort, host);
		assert.equal(before.status, 200);
		const [instance] = await ps();
		assert.ok(instance?.pid, JSON.stringify(instance));

		// The reboot: every process of the server ends at once.
		await killPidFile("agent.pid");
		await killPidFile(join("proxy", "caddy.pid"));
		await killAndWait(-instance.pid, instance.pid);
		// At boot, another service takes the port the instance had.
		squatter = createServer((_request, response) => response.end("another service\n"));
		await new Promise<void>((resolve) => squatter!.listen(instance.port, "127.0.0.1", resolve));

		// The next command starts the agent again (as its unit would at boot); it answers once the recovery is over.
		// The gone instance has left the list already: nothing of it ran to drain.
		const after = await ps();
		assert.equal(after.length, 1, JSON.stringify(after));
		assert.equal(after[0]!.status, "running");
		assert.notEqual(after[0]!.port, instance.port);
		assert.notEqual(after[0]!.pid, instance.pid);
		const answer = await httpGet(server.httpPort, host);
		assert.equal(answer.status, 200);
		assert.equal(answer.body, before.body);
		// The taken port is still the other service's: nothing of the app was started on it.
		assert.equal((await httpGet(instance.port, host)).body, "another service\n");
	});
});

/** Sends SIGKILL to `target` (a pid, or a process group as -pgid) and waits until `pid` is gone. */
async function killAndWait(target: number, pid: number): Promise<void> {
	try {
		process.kill(target, "SIGKILL");
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
	}
	while (isAlive(pid)) await sleep(20);
}

function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}
