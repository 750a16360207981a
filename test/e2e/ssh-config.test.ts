// The user's own OpenSSH setup, honoured as `ssh` honours it (issue 13): a Host alias of
// ~/.ssh/config (HostName, Port, User, IdentityFile), a ProxyJump through a second sshd,
// and known_hosts entries as trust on first use. The built CLI, real sshd instances,
// the real agent and Caddy; the ssh config is a file of the test's (DEPLOY_SSH_CONFIG),
// checked with OpenSSH's own client first, so it is one that ssh itself reads alike.
import assert from "node:assert/strict";
import { cp, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, test } from "vitest";
import { execa } from "execa";
import { type Sshd, startSshd } from "../fixtures/sshd.js";
import { repoRoot, runCli } from "../helpers/cli.js";
import { freePort, httpGet } from "../helpers/net.js";

const host = "hello.127.0.0.1.sslip.io";

describe("servers add and deploy with the user's ssh config and known_hosts", () => {
	let work: string;
	const started: Sshd[] = [];

	beforeAll(async () => {
		work = await mkdtemp(join(tmpdir(), "deploy-e2e-ssh-config-"));
	});

	afterAll(async () => {
		await Promise.all(started.map((sshd) => sshd.stop()));
		await rm(work, { recursive: true, force: true });
	});

	async function server(): Promise<Sshd> {
		const sshd = await startSshd();
		started.push(sshd);
		return sshd;
	}

	/** A client machine of its own: a local store, an app folder, an ssh config and a known_hosts file. */
	async function client(name: string, config: string, knownHosts = "") {
		const dir = join(work, name);
		const app = join(dir, "app");
		await cp(join(repoRoot, "examples", "hello"), app, { recursive: true });
		const configFile = join(dir, "ssh_config");
		const knownHostsFile = join(dir, "known_hosts");
		// Every Host gets the test's known_hosts, never the machine's own.
		await writeFile(configFile, `${config}\nHost *\n  UserKnownHostsFile ${knownHostsFile}\n  GlobalKnownHostsFile /dev/null\n`);
		await writeFile(knownHostsFile, knownHosts);
		const env = { DEPLOY_HOME: join(dir, "home"), DEPLOY_SSH_CONFIG: configFile };
		const httpPort = await freePort();
		const proxyArgs = ["--proxy", "caddy", "--http-port", String(httpPort), "--https-port", String(await freePort()), "--no-tls"];
		return {
			app,
			env,
			configFile,
			httpPort,
			cli: (args: string[]) => runCli(args, { cwd: app, env }),
			add: (destination: string, more: string[] = []) => runCli(["servers", "add", "prod", destination, ...proxyArgs, "--json", ...more], { cwd: dir, env }),
			/** OpenSSH's client, with the same config: the fixture must be a config ssh itself accepts. */
			ssh: (alias: string) => execa("ssh", ["-F", configFile, "-o", "BatchMode=yes", alias, "true"], { reject: false }),
		};
	}

	const keyscan = async (sshd: Sshd, hashed: boolean) => (await execa("ssh-keyscan", [...(hashed ? ["-H"] : []), "-t", "ed25519", "-p", String(sshd.port), "127.0.0.1"])).stdout;

	test("a Host alias with HostName, Port, User and IdentityFile: servers add, then a deploy", async () => {
		const sshd = await server();
		const me = await client("alias", ["Host myalias", "  HostName 127.0.0.1", `  Port ${sshd.port}`, `  User ${sshd.user}`, `  IdentityFile ${sshd.identityFile}`].join("\n"), await keyscan(sshd, false));
		assert.equal((await me.ssh("myalias")).exitCode, 0, "OpenSSH itself reaches myalias with this config");

		const add = await me.add("myalias", ["--accept-new-host-key"]);
		assert.equal(add.code, 0, add.stderr + add.stdout);
		assert.equal(add.last.hostKeyFingerprint, sshd.hostKeyFingerprint);
		const [saved] = JSON.parse((await me.cli(["servers", "ls", "--json"])).stdout) as { host: string; user: string; port: number; address: string }[];
		assert.deepEqual(saved && { host: saved.host, user: saved.user, port: saved.port, address: saved.address }, { host: "myalias", user: sshd.user, port: sshd.port, address: "127.0.0.1" });

		const deploy = await me.cli(["--json"]);
		assert.equal(deploy.code, 0, deploy.stderr + deploy.stdout);
		assert.equal(deploy.last.status, "live");
		assert.equal((await httpGet(me.httpPort, host)).status, 200);
	});

	test("a known_hosts entry with another key for the host is refused, even with --accept-new-host-key, and nothing changes", async () => {
		const sshd = await server();
		const other = join(work, "other_host_key");
		await execa("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", other]);
		const otherKey = (await readFile(`${other}.pub`, "utf8")).split(" ").slice(0, 2).join(" ");
		const me = await client("mismatch", "", `[127.0.0.1]:${sshd.port} ${otherKey}\n`);
		const add = await me.add(`${sshd.user}@127.0.0.1`, ["--port", String(sshd.port), "--identity", sshd.identityFile, "--accept-new-host-key"]);
		assert.equal(add.code, 1, add.stderr + add.stdout);
		const error = add.last.error as { code: string; message: string; hint: string };
		assert.equal(error.code, "HOST_KEY_CHANGED");
		assert.match(error.message, /has CHANGED\. Nothing was sent/);
		assert.match(error.message, /known_hosts \(.*known_hosts:1\)/);
		assert.match(error.message, new RegExp(`received: ${sshd.hostKeyFingerprint.replace(/[+/]/g, "\\$&")}`));
		assert.match(error.hint, /ssh-keygen -R/);
		assert.deepEqual(JSON.parse((await me.cli(["servers", "ls", "--json"])).stdout), []);
		await assert.rejects(stat(join(sshd.agentHome, "bin", "agent.mjs")), "no agent was installed");
	});

	test("a known_hosts entry (hashed, as ssh-keyscan -H writes it) that matches lets servers add pin the key without asking", async () => {
		const sshd = await server();
		const knownHosts = await keyscan(sshd, true);
		assert.match(knownHosts, /^\|1\|/);
		const me = await client("known", "", knownHosts);
		// No --accept-new-host-key and no terminal to ask on: only known_hosts can vouch for the key.
		const add = await me.add(`${sshd.user}@127.0.0.1`, ["--port", String(sshd.port), "--identity", sshd.identityFile]);
		assert.equal(add.code, 0, add.stderr + add.stdout);
		assert.equal(add.last.hostKeyFingerprint, sshd.hostKeyFingerprint);
		const [saved] = JSON.parse((await me.cli(["servers", "ls", "--json"])).stdout) as { hostKeyFingerprint: string }[];
		assert.equal(saved?.hostKeyFingerprint, sshd.hostKeyFingerprint);
	});

	test("ProxyJump through a second sshd: servers add and a deploy go through the jump host, whose key known_hosts must vouch for", async () => {
		const bastion = await server();
		const target = await server();
		const config = [
			"Host target",
			"  HostName 127.0.0.1",
			`  Port ${target.port}`,
			`  User ${target.user}`,
			`  IdentityFile ${target.identityFile}`,
			"  ProxyJump bastion",
			"Host bastion",
			"  HostName 127.0.0.1",
			`  Port ${bastion.port}`,
			`  IdentityFile ${bastion.identityFile}`,
		].join("\n");

		const unknownJump = await client("jump-unknown", config);
		const refused = await unknownJump.add("target", ["--accept-new-host-key"]);
		assert.equal(refused.code, 1, refused.stderr + refused.stdout);
		const error = refused.last.error as { code: string; message: string; hint: string };
		assert.equal(error.code, "HOST_KEY_UNKNOWN");
		assert.match(error.message, new RegExp(`bastion \\(127\\.0\\.0\\.1:${bastion.port}\\)`));
		assert.match(error.hint, /known_hosts/);
		assert.deepEqual(JSON.parse((await unknownJump.cli(["servers", "ls", "--json"])).stdout), []);

		const me = await client("jump", config, `${await keyscan(bastion, false)}\n${await keyscan(target, false)}\n`);
		assert.equal((await me.ssh("target")).exitCode, 0, "OpenSSH itself reaches target through bastion with this config");
		const jumpsBefore = bastion.logins();
		const add = await me.add("target", ["--accept-new-host-key"]);
		assert.equal(add.code, 0, add.stderr + add.stdout);
		assert.equal(add.last.hostKeyFingerprint, target.hostKeyFingerprint);
		assert.ok(bastion.logins() > jumpsBefore, "servers add logged in to the jump host");

		const jumpsBeforeDeploy = bastion.logins();
		const deploy = await me.cli(["--json"]);
		assert.equal(deploy.code, 0, deploy.stderr + deploy.stdout);
		assert.equal(deploy.last.status, "live");
		assert.ok(bastion.logins() > jumpsBeforeDeploy, "the deploy went through the jump host");
		assert.equal((await httpGet(me.httpPort, host)).status, 200);
	});
});
