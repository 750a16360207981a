// Issue 16 on issue 12's sudo login: a bare Debian 12 (test/fixtures/fresh-server.ts) set up
// by `servers add` as `admin`, whose passwordless sudo runs the agent as root (home
// /var/lib/deploy). The login is not the agent's user, so `team add` puts bob's key into
// admin's own authorized_keys (still admin's file) with a forced command that reaches root's
// agent through `sudo -n`; bob sets up his machine with the usual `servers add --identity`,
// and the server knows him as bob, refuses him a shell, and `team rm` takes his key away.
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, test } from "vitest";
import { type FreshServer, startFreshServer } from "../fixtures/fresh-server.js";
import { type NodeMirror, startNodeMirror } from "../fixtures/node-mirror.js";
import { runCli } from "../helpers/cli.js";
import { freePort } from "../helpers/net.js";

describe("a team member on a server added by a sudo login", () => {
	let server: FreshServer;
	let mirror: NodeMirror;
	let dir: string;
	let bobKey: string;
	const ownerHome = () => join(dir, "owner");
	const bobHome = () => join(dir, "bob");
	const owner = (args: string[]) => runCli(args, { cwd: ownerHome(), env: { DEPLOY_HOME: ownerHome() } });
	const bob = (args: string[]) => runCli(args, { cwd: bobHome(), env: { DEPLOY_HOME: bobHome() } });
	const keysFile = "/home/admin/.ssh/authorized_keys";

	beforeAll(async () => {
		[server, mirror] = await Promise.all([startFreshServer(), startNodeMirror()]);
		dir = await mkdtemp(join(tmpdir(), "deploy-fresh-team-"));
		await execa("mkdir", ["-p", ownerHome(), bobHome()]);
		bobKey = join(dir, "bob-key");
		await execa("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "bob@laptop", "-f", bobKey]);
		const [http, https] = [await freePort(), await freePort()];
		const add = await owner(["servers", "add", "prod", "admin@127.0.0.1", "--port", String(server.port), "--identity", server.identityFile, "--proxy", "caddy", "--http-port", String(http), "--https-port", String(https), "--no-tls", "--accept-new-host-key", "--node-mirror", mirror.url, "--json"]);
		assert.equal(add.code, 0, add.stdout + add.stderr);
		assert.equal((add.last as { privilege: string }).privilege, "sudo");
	});

	afterAll(async () => {
		await server?.stop();
		await mirror?.stop();
		if (dir) await rm(dir, { recursive: true, force: true });
	});

	test("team add puts bob's key in admin's authorized_keys, still admin's, forced through sudo to root's agent", async () => {
		for (const args of [["team", "create", "acme"], ["team", "add", "bob", "--key", `${bobKey}.pub`, "--team", "acme", "--role", "admin"]]) {
			const run = await owner(args);
			assert.equal(run.code, 0, run.stdout + run.stderr);
		}
		const line = ((await server.readFile(keysFile)) ?? "").split("\n").find((l) => l.endsWith("deploy-member:bob")) ?? "";
		assert.match(line, /^restrict,command="exec sudo -n DEPLOY_AGENT_HOME=\/var\/lib\/deploy SSH_ORIGINAL_COMMAND=\\"\$SSH_ORIGINAL_COMMAND\\" SSH_CLIENT=\\"\$SSH_CLIENT\\" \S+\/node \/var\/lib\/deploy\/bin\/agent\.mjs connect --member bob" ssh-ed25519 /);
		assert.equal((await server.exec(`stat -c '%U %a' ${keysFile}`)).stdout.trim(), "admin 600");
		assert.equal((await server.readFile("/root/.ssh/authorized_keys"))?.includes("deploy-member:bob") ?? false, false, "bob's key is not root's");
	});

	test("bob adds the server with his own key: the server says he is bob; his key opens no shell", async () => {
		const add = await bob(["servers", "add", "work", "admin@127.0.0.1", "--port", String(server.port), "--identity", bobKey, "--accept-new-host-key", "--json"]);
		assert.equal(add.code, 0, add.stdout + add.stderr);
		assert.equal((add.last.member as { member: string }).member, "bob");
		const me = await bob(["whoami", "--json"]);
		assert.equal(me.code, 0, me.stdout + me.stderr);
		assert.equal(me.last.member, "bob");
		assert.equal(me.last.client, "127.0.0.1");
		assert.deepEqual(me.last.memberships, [{ team: "acme", role: "admin", apps: null, canDeployProduction: false }]);
		const shell = await execa("ssh", ["-i", bobKey, "-p", String(server.port), "-o", "IdentitiesOnly=yes", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "BatchMode=yes", "admin@127.0.0.1", "id"], { reject: false });
		assert.notEqual(shell.exitCode, 0);
		assert.doesNotMatch(shell.stdout, /uid=/);
		assert.match(shell.stderr, /PERMISSION_DENIED: this key \(team member bob\)/);
	});

	test("team rm bob takes his line out of admin's file, which stays admin's; his next command is refused", async () => {
		const removed = await owner(["team", "rm", "bob"]);
		assert.equal(removed.code, 0, removed.stdout + removed.stderr);
		assert.doesNotMatch((await server.readFile(keysFile)) ?? "", /deploy-member:bob/);
		assert.equal((await server.exec(`stat -c '%U %a' ${keysFile}`)).stdout.trim(), "admin 600");
		const me = await bob(["whoami", "--json"]);
		assert.notEqual(me.code, 0);
	});
});
