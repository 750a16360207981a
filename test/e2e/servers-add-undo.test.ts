// Issue 14, item 5: a `servers add` that fails after it started the agent (here the
// proxy cannot start: its HTTP port is taken) leaves no agent daemon running on a server
// it was setting up; a server that was set up before is left as it was. The built CLI
// against a real sshd, the real agent and a real Caddy.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { afterAll, beforeAll, test } from "vitest";
import { startTestServer, type TestServer } from "./server.js";
import { agentHomeProcesses, type Sshd, startSshd } from "../fixtures/sshd.js";
import { runCli } from "../helpers/cli.js";
import { freePort } from "../helpers/net.js";

let blocker: Server;
let takenPort: number;

beforeAll(async () => {
	// What a user's own nginx on port 80 looks like to the proxy.
	blocker = createServer((socket) => socket.end());
	await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
	takenPort = (blocker.address() as { port: number }).port;
});

afterAll(() => new Promise<void>((resolve) => blocker.close(() => resolve())));

/** The agent daemon, proxy and Caddy's resolver of an agent home (not sshd's sessions, which end with the CLI). */
async function serverProcesses(agentHome: string): Promise<string[]> {
	const found: string[] = [];
	for (const pid of await agentHomeProcesses(agentHome)) {
		const cmdline = (await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "")).split("\0").join(" ");
		if (/agent\.mjs (daemon|upstream-dns)|caddy/.test(cmdline)) found.push(`${pid} ${cmdline}`);
	}
	return found;
}

function addArgs(name: string, sshd: Sshd, httpPort: number, httpsPort: number): string[] {
	return ["servers", "add", name, `${sshd.user}@127.0.0.1`, "--port", String(sshd.port), "--identity", sshd.identityFile, "--proxy", "caddy", "--http-port", String(httpPort), "--https-port", String(httpsPort), "--no-tls", "--accept-new-host-key"];
}

test("a first servers add whose proxy cannot start stops the agent it started, says so, and remembers no server", async (t) => {
	const sshd = await startSshd();
	t.onTestFinished(() => sshd.stop());
	const env = { DEPLOY_HOME: `${sshd.agentHome}-client` };
	const add = await runCli(addArgs("prod", sshd, takenPort, await freePort()), { env });
	assert.equal(add.code, 1, add.stderr);
	assert.match(add.stderr, /stopped the agent daemon/i);
	assert.match(add.stderr, /stopped Caddy's upstream resolver/);
	assert.match(add.stderr, /nothing this run started keeps running on/);
	assert.deepEqual(await serverProcesses(sshd.agentHome), [], "no agent daemon or proxy is left on the server");
	const list = await runCli(["servers", "ls", "--json"], { env });
	assert.deepEqual(JSON.parse(list.stdout), []);

	// Once the port is free, the same command sets the server up.
	const retry = await runCli(addArgs("prod", sshd, await freePort(), await freePort()), { env });
	assert.equal(retry.code, 0, retry.stderr);
	assert.notDeepEqual(await serverProcesses(sshd.agentHome), []);
});

test("a servers add that fails on a server set up before leaves its agent running", async (t) => {
	const server: TestServer = await startTestServer("hello");
	t.onTestFinished(() => server.stop());
	const before = await serverProcesses(server.sshd.agentHome);
	assert.ok(before.some((line) => line.includes("agent.mjs daemon")), "the agent runs after the first add");
	const add = await server.cli(addArgs("again", server.sshd, takenPort, await freePort()));
	assert.equal(add.code, 1, add.stderr);
	assert.doesNotMatch(add.stderr, /stopped the agent daemon/);
	assert.ok((await serverProcesses(server.sshd.agentHome)).some((line) => line.includes("agent.mjs daemon")), "the agent that was there still runs");
});
