// The CLI starts a command's SSH session before it has loaded the command
// (core/servers/early-session.ts). What a user must not notice: a second login, a
// step reported twice, a server changed by a command that then failed on bad input,
// or a command that waits on a guessed server it never needed.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { appendFile, copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, test } from "vitest";
import { repoRoot, runCli } from "../helpers/cli.js";
import { freePort, httpGet } from "../helpers/net.js";
import { startSshd } from "../fixtures/sshd.js";
import { startTestServer, type TestServer } from "./server.js";

const BAD_CONFIG = "processes:\n  web:\n    instances: 0\n";

describe("the session a command starts early", () => {
	let server: TestServer;
	let scratch: string;
	/** The agent bundle of a "newer release" of the CLI: the same code, another sha256. */
	let nextBundle: string;

	beforeAll(async () => {
		server = await startTestServer("hello");
		scratch = await mkdtemp(join(tmpdir(), "deploy-early-"));
		nextBundle = join(scratch, "agent.mjs");
		await copyFile(join(repoRoot, "dist", "agent.mjs"), nextBundle);
		await appendFile(nextBundle, "\n// another release\n");
	});

	afterAll(async () => {
		await server?.stop();
		await rm(scratch, { recursive: true, force: true });
	});

	const installedSha = async () => (await readFile(join(server.sshd.agentHome, "bin", "agent.sha256"), "utf8")).trim();
	const stepsNamed = (run: { lines: Record<string, unknown>[] }, step: string) => run.lines.filter((line) => line.type === "step" && line.step === step && line.status === "done");

	test("a deploy logs in once and reports each connection step once", async () => {
		const logins = server.sshd.logins();
		const run = await server.cli(["--json"]);
		assert.equal(run.code, 0, run.stderr);
		assert.equal(run.last.status, "live");
		assert.equal(server.sshd.logins() - logins, 1, "one SSH login for the whole command");
		assert.equal(stepsNamed(run, "connect").length, 1);
		assert.equal(stepsNamed(run, "agent").length, 1);
		assert.equal((await httpGet(server.httpPort, "hello.127.0.0.1.sslip.io")).status, 200);
	});

	test("a deploy that fails on its deploy.yaml leaves an outdated agent as it was", async () => {
		const before = await installedSha();
		const config = join(server.appDir, "deploy.yaml");
		await writeFile(config, BAD_CONFIG);
		try {
			// A CLI whose agent differs from the server's: connecting for real would upgrade it.
			const run = await runCli(["--json"], { cwd: server.appDir, env: { ...server.env, DEPLOY_AGENT_BUNDLE: nextBundle } });
			assert.equal(run.code, 2, run.stderr);
			assert.equal((run.last.error as { code: string }).code, "CONFIG_INVALID");
			assert.equal(await installedSha(), before, "the agent was not upgraded");
		} finally {
			await rm(config);
		}
	});

	test("the command that does connect upgrades the agent on the same login", async () => {
		const logins = server.sshd.logins();
		const run = await runCli(["--json"], { cwd: server.appDir, env: { ...server.env, DEPLOY_AGENT_BUNDLE: nextBundle } });
		assert.equal(run.code, 0, run.stderr);
		assert.equal(server.sshd.logins() - logins, 1);
		const agentStep = stepsNamed(run, "agent");
		assert.equal(agentStep.length, 1);
		assert.equal(agentStep[0]!.message, "upgraded");
		assert.equal(await installedSha(), createHash("sha256").update(await readFile(nextBundle)).digest("hex"));
		// Back to the bundle the other tests use.
		assert.equal((await server.cli(["--json"])).code, 0);
	});

	test("with several servers, the session goes to the one deploy.yaml names, and only there", async () => {
		const other = await startSshd();
		try {
			const add = await server.cli(["servers", "add", "other", `${other.user}@127.0.0.1`, "--port", String(other.port), "--identity", other.identityFile, "--proxy", "caddy", "--http-port", String(await freePort()), "--https-port", String(await freePort()), "--no-tls", "--accept-new-host-key"]);
			assert.equal(add.code, 0, add.stderr);
			const [prodBefore, otherBefore] = [server.sshd.logins(), other.logins()];
			await writeFile(join(server.appDir, "deploy.yaml"), "server: prod # the one in test/e2e/server.ts\n");
			const deploy = await server.cli(["--json"]);
			assert.equal(deploy.code, 0, deploy.stderr);
			// No deploy.yaml line now: `ls` means the server this folder last deployed to.
			await rm(join(server.appDir, "deploy.yaml"));
			const ls = await server.cli(["ls", "--json"]);
			assert.equal(ls.code, 0, ls.stderr);
			assert.equal(server.sshd.logins() - prodBefore, 2, "one login per command on prod");
			assert.equal(other.logins() - otherBefore, 0, "no login on the server nobody asked for");
		} finally {
			await server.cli(["servers", "rm", "other"]).catch(() => undefined);
			await other.stop();
		}
	});

	test("a guessed server that never answers does not hold up a command that fails first", async () => {
		// A second "server" in another store: added while sshd ran, then replaced on the same port by a listener that accepts and stays silent.
		const other = await startTestServer("hello");
		const port = other.sshd.port;
		const sockets: Socket[] = [];
		let silent: Server | null = null;
		const identity = other.sshd.identityFile;
		try {
			// The key must outlive the sshd's folder, or the login stops before it connects.
			const key = await readFile(identity);
			await other.sshd.stop();
			await mkdir(dirname(identity), { recursive: true });
			await writeFile(identity, key, { mode: 0o600 });
			silent = createServer((socket) => sockets.push(socket));
			await new Promise<void>((resolve) => silent!.listen(port, "127.0.0.1", resolve));
			await writeFile(join(other.appDir, "deploy.yaml"), BAD_CONFIG);
			const started = Date.now();
			const run = await other.cli(["--json"]);
			assert.equal(run.code, 2, run.stderr);
			assert.equal(sockets.length, 1, "the early session did try the guessed server");
			// The connect timeout is 20 s: a command that waited for it would take that long.
			assert.ok(Date.now() - started < 10_000, `took ${Date.now() - started} ms`);
		} finally {
			for (const socket of sockets) socket.destroy();
			await new Promise((resolve) => (silent ? silent.close(resolve) : resolve(undefined)));
			await other.stop();
			await rm(dirname(identity), { recursive: true, force: true });
		}
	});
});
