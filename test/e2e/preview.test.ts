// `deploy preview`: the same agent pipeline on this machine, no SSH, no proxy to install.
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, test } from "vitest";
import { stopAgentHome } from "../fixtures/sshd.js";
import { runCli } from "../helpers/cli.js";
import { freePort, httpGet } from "../helpers/net.js";

let home: string;
let port: number;

beforeAll(async () => {
	home = await mkdtemp(join(tmpdir(), "deploy-preview-home-"));
	port = await freePort();
});

afterAll(async () => {
	await stopAgentHome(join(home, "preview"));
	await rm(home, { recursive: true, force: true });
});

test("deploy preview runs examples/hello locally and prints a URL that answers", async () => {
	const run = await runCli(["preview", "examples/hello", "--port", String(port), "--json"], { env: { DEPLOY_HOME: home } });
	assert.equal(run.code, 0, run.stderr + run.stdout);
	assert.equal(run.last.status, "live");
	assert.equal(run.last.server, "local");
	assert.equal(run.last.url, `http://hello.localhost:${port}`);
	const answer = await httpGet(port, "hello.localhost");
	assert.equal(answer.body, "Hello from Deploy Platform\n");

	const ls = await runCli(["ls", "--server", "local", "--app", "hello", "--json"], { env: { DEPLOY_HOME: home } });
	assert.equal(ls.code, 0, ls.stderr);
	assert.equal((JSON.parse(ls.stdout) as { status: string }[])[0]?.status, "live");
});

test("previewing the same tree again changes nothing, and the human output ends with the URL on stdout", async () => {
	const run = await runCli(["preview", "examples/hello", "--port", String(port)], { env: { DEPLOY_HOME: home } });
	assert.equal(run.code, 0, run.stderr);
	assert.equal(run.stdout.trim(), `http://hello.localhost:${port}`);
	assert.match(run.stderr, /already live: nothing changed/);
	assert.equal((await httpGet(port, "hello.localhost")).body, "Hello from Deploy Platform\n");
});
