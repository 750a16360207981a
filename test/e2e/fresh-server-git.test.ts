// Issue 18, item 6, end to end on a bare Debian 12 (test/fixtures/fresh-server.ts): no
// git, no Node.js, a passwordless-sudo login `admin`, as a rented server comes. `servers
// add` does not install git (its dependencies are some twenty packages, perl among them,
// that `servers rm --purge` could not take back file for file): `deploy git-remote` says
// so with the command that installs it. Once it is there, the repository is root's, as
// the agent is, and `git push` reaches it through the login's sudo: the push deploys and
// the app answers through Caddy.
import assert from "node:assert/strict";
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, test } from "vitest";
import { type FreshServer, startFreshServer } from "../fixtures/fresh-server.js";
import { type NodeMirror, startNodeMirror } from "../fixtures/node-mirror.js";
import { repoRoot, runCli } from "../helpers/cli.js";
import { freePort, httpGet } from "../helpers/net.js";
import { gitOverSsh } from "../helpers/git.js";

describe("git push to a bare server added through a sudo login", () => {
	let server: FreshServer;
	let mirror: NodeMirror;
	let home: string;
	let app: string;
	let httpPort: number;
	const cli = (args: string[], cwd = home) => runCli(args, { cwd, env: { DEPLOY_HOME: home } });
	const git = (...args: string[]) => gitOverSsh(app, server.identityFile)(...args);

	beforeAll(async () => {
		[server, mirror] = await Promise.all([startFreshServer(), startNodeMirror()]);
		home = await mkdtemp(join(tmpdir(), "deploy-fresh-git-home-"));
		app = await mkdtemp(join(tmpdir(), "deploy-fresh-git-app-"));
		await cp(join(repoRoot, "examples", "hello"), app, { recursive: true });
		httpPort = await freePort();
	});
	afterAll(async () => {
		await server?.stop();
		await mirror?.stop();
		if (home) await rm(home, { recursive: true, force: true });
		if (app) await rm(app, { recursive: true, force: true });
	});

	test("servers add leaves git alone; git-remote on a server without git is refused with the command that installs it", async () => {
		assert.notEqual((await server.exec("command -v git")).exitCode, 0, "the base image has no git");
		const add = await cli(["servers", "add", "prod", "admin@127.0.0.1", "--port", String(server.port), "--identity", server.identityFile, "--proxy", "caddy", "--http-port", String(httpPort), "--https-port", String(await freePort()), "--no-tls", "--accept-new-host-key", "--node-mirror", mirror.url, "--json"]);
		assert.equal(add.code, 0, add.stderr + add.stdout);
		assert.equal((add.last as { privilege: string }).privilege, "sudo");
		await git("init", "-q", "-b", "main");
		const refused = await cli(["git-remote", "--json"], app);
		assert.notEqual(refused.code, 0);
		assert.match(refused.stdout + refused.stderr, /GIT_MISSING[\s\S]*apt-get install git/);
		assert.equal((await git("remote")).stdout.trim(), "", "no remote added");
		// What the hint says, as the server's owner runs it.
		assert.equal((await server.exec("apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends git")).exitCode, 0);
	});

	test("deploy git-remote once git is there; git push deploys through the login's sudo into the agent's repository, and the app answers", async () => {
		await writeFile(join(app, "server.js"), (await readFile(join(app, "server.js"), "utf8")).replace(/const message = ".*";/, 'const message = "Hello from a push through sudo";'));
		await git("add", ".");
		await git("commit", "-q", "-m", "hello");
		const remote = await cli(["git-remote", "--json"], app);
		assert.equal(remote.code, 0, remote.stderr + remote.stdout);
		assert.equal((await git("config", "remote.deploy.receivepack")).stdout.trim(), "sudo -n git-receive-pack");
		const push = await git("push", "deploy", "main");
		assert.equal(push.exitCode, 0, push.all);
		assert.match(push.all ?? "", /remote: =====> refs\/heads\/main: hello d[0-9a-z]+ is live/);
		assert.equal((await httpGet(httpPort, "hello.127.0.0.1.sslip.io")).body, "Hello from a push through sudo\n");
		// The repository and what git wrote into it are root's (the agent's), not the login's.
		assert.equal((await server.exec("stat -c %U /var/lib/deploy/git/hello.git /var/lib/deploy/git/hello.git/refs/heads/main")).stdout, "root\nroot\n");
	});
});
