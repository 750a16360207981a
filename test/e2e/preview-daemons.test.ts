// Issue 14, item 5: `deploy preview` runs in the background, so it must be stoppable
// (`deploy preview --stop`), and a read of the preview (`deploy ls -s local`) must not
// start it. The built CLI, the real agent and its built-in proxy on this machine.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, test } from "vitest";
import { agentHomeProcesses, stopAgentHome } from "../fixtures/sshd.js";
import { runCli } from "../helpers/cli.js";
import { freePort, httpGet, reachable } from "../helpers/net.js";

let home: string;
let agentHome: string;
let port: number;
const cli = (args: string[]) => runCli(args, { env: { DEPLOY_HOME: home } });

beforeAll(async () => {
	home = await mkdtemp(join(tmpdir(), "deploy-preview-daemons-"));
	agentHome = join(home, "preview");
	port = await freePort();
});

afterAll(async () => {
	await stopAgentHome(agentHome);
	await rm(home, { recursive: true, force: true });
});

test("deploy ls -s local with no preview running says so and starts no agent", async () => {
	const ls = await cli(["ls", "--server", "local", "--app", "hello"]);
	assert.equal(ls.code, 1, ls.stderr);
	assert.match(ls.stderr, /Nothing runs in the preview on this machine/);
	assert.match(ls.stderr, /deploy preview/);
	assert.deepEqual(await agentHomeProcesses(agentHome), [], "no process of the preview's agent home is left");
	assert.equal(existsSync(join(agentHome, "agent.sock")), false, "no daemon socket");
});

test("deploy preview says how to stop it; --stop stops its agent and app, frees the port, and ls then starts nothing", async () => {
	const preview = await cli(["preview", "examples/hello", "--port", String(port)]);
	assert.equal(preview.code, 0, preview.stderr);
	assert.match(preview.stderr, /`deploy preview --stop` stops it/);
	assert.equal((await httpGet(port, "hello.localhost")).body, "Hello from Deploy Platform\n");
	assert.notDeepEqual(await agentHomeProcesses(agentHome), [], "the preview runs in the background");

	const stop = await cli(["preview", "--stop"]);
	assert.equal(stop.code, 0, stop.stderr);
	assert.equal(stop.stdout.trim(), `Stopped the preview: its agent and 1 app instance; port ${port} is free. \`deploy preview\` starts it again.`);
	assert.deepEqual(await agentHomeProcesses(agentHome), [], "no agent, bridge or app of the preview is left");
	assert.equal(await reachable("127.0.0.1", port), false, `port ${port} is free`);

	const ls = await cli(["ls", "--server", "local", "--app", "hello"]);
	assert.equal(ls.code, 1);
	assert.match(ls.stderr, /Nothing runs in the preview/);
	assert.deepEqual(await agentHomeProcesses(agentHome), [], "a read after --stop starts nothing");

	const again = await cli(["preview", "--stop", "--json"]);
	assert.equal(again.code, 0, again.stderr);
	assert.deepEqual(again.last, { agent: false, instances: 0, port });
});

test("after --stop, deploy preview brings the app back", async () => {
	const preview = await cli(["preview", "examples/hello", "--port", String(port)]);
	assert.equal(preview.code, 0, preview.stderr);
	assert.equal((await httpGet(port, "hello.localhost")).body, "Hello from Deploy Platform\n");
	const ls = await cli(["ls", "--server", "local", "--app", "hello", "--json"]);
	assert.equal(ls.code, 0, ls.stderr);
	assert.equal((JSON.parse(ls.stdout) as { status: string }[])[0]?.status, "live");
});
