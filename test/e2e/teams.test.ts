// Issue 16, as people use it: the server's owner runs `team create/add`, alice (admin)
// and bob (member of acme, app hello) use the built CLI with their own keys against a
// real sshd, the real agent and a real Caddy. Bob's key speaks the agent's protocol and
// nothing else; what the server refuses him, it refuses whatever his client does; removing
// him ends what he has open; every step is in the audit log.
import assert from "node:assert/strict";
import { access, cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { connect } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, test } from "vitest";
import Database from "better-sqlite3";
import { execa } from "execa";
import { repoRoot, runCli } from "../helpers/cli.js";
import { freePort, httpGet } from "../helpers/net.js";
import { startCli } from "./background-cli.js";
import { startTeamServer, type TeamServer } from "./team-server.js";

interface AuditEntry {
	member: string | null;
	action: string;
	app: string | null;
	result: string;
	args: Record<string, unknown>;
}

describe("teams and roles against a real server", () => {
	let team: TeamServer;
	const audit = async () => JSON.parse((await team.server.cli(["audit", "--json"])).stdout) as AuditEntry[];

	beforeAll(async () => {
		team = await startTeamServer();
	});

	afterAll(async () => {
		await team?.stop();
	});

	test("bob's key opens no shell, runs no command, forwards no port", async () => {
		const id = await team.ssh("member", [], ["id"]);
		assert.notEqual(id.code, 0);
		assert.doesNotMatch(id.stdout, /uid=/);
		assert.match(id.stderr, /PERMISSION_DENIED: this key \(team member bob\) may only speak the agent's protocol/);
		// A login shell with a terminal: no pty (restrict), and the forced command refuses.
		const shell = await team.ssh("member", ["-tt"], []);
		assert.notEqual(shell.code, 0);
		assert.match(shell.stderr, /PTY allocation request failed/);
		assert.doesNotMatch(shell.stdout, /uid=|[#$] $/);
		// -W: stdio forwarding to the proxy's port.
		const stdio = await team.ssh("member", ["-W", `127.0.0.1:${team.server.httpPort}`], []);
		assert.notEqual(stdio.code, 0);
		assert.match(stdio.stderr, /stdio forwarding failed|administratively prohibited/);
		// -R: sshd refuses to listen for him.
		const remote = await team.ssh("member", ["-N", "-o", "ExitOnForwardFailure=yes", "-R", "127.0.0.1:0:127.0.0.1:22"], []);
		assert.notEqual(remote.code, 0);
		assert.match(remote.stderr, /remote port forwarding failed|forwarding failed/i);
		// -L: the tunnel's end is refused when something tries to use it.
		const local = await freePort();
		const tunnel = team.ssh("member", ["-N", "-L", `127.0.0.1:${local}:127.0.0.1:${team.server.httpPort}`], [], 8_000);
		assert.equal(await throughTunnel(local), false, "bob's tunnel reached the proxy");
		await tunnel;
		// The same tunnel with the owner's key works, and the owner's key still runs commands (the terminal view): the refusals above are bob's key's.
		const ownerPort = await freePort();
		const ownerTunnel = team.ssh("owner", ["-N", "-L", `127.0.0.1:${ownerPort}:127.0.0.1:${team.server.httpPort}`], [], 8_000);
		assert.equal(await throughTunnel(ownerPort), true, "the owner's tunnel did not reach the proxy");
		await ownerTunnel;
		const owner = await team.ssh("owner", [], ["id", "-u"]);
		assert.equal(owner.code, 0, owner.stderr);
	});

	test("whoami and team ls say who is who; bob sees only his team", async () => {
		const me = await team.cliAs("member", ["whoami", "--json"]);
		assert.equal(me.code, 0, me.stderr);
		assert.equal(me.last.member, "bob");
		assert.deepEqual(me.last.memberships, [{ team: "acme", role: "member", apps: ["hello"], canDeployProduction: false }]);
		const fingerprint = (await execa("ssh-keygen", ["-l", "-E", "sha256", "-f", `${team.keys.member}.pub`])).stdout.split(" ")[1];
		assert.equal(me.last.fingerprint, fingerprint);
		// What his role cannot do to each of his apps, as the server's rule table says (the desktop disables those buttons).
		const apps = me.last.apps as { app: string; team: string; refused: Record<string, { needs: string; team: string; role: string }> }[];
		assert.deepEqual(apps.map((a) => [a.app, a.team]), [["hello", "acme"]]);
		assert.deepEqual(apps[0]!.refused["app.rollback"], { needs: "admin", team: "acme", role: "member" });
		assert.equal(apps[0]!.refused["app.logs"], undefined);
		const text = await team.cliAs("member", ["whoami"]);
		assert.match(text.stdout, /hello \(team acme\): .*app\.rollback.* need admin/);
		const admin = await team.cliAs("admin", ["whoami", "--json"]);
		assert.deepEqual(admin.last.apps, [{ app: "hello", team: "acme", refused: {} }]);
		const owner = await team.server.cli(["whoami"]);
		assert.match(owner.stdout, /server's owner/);
		const listing = await team.cliAs("member", ["team", "ls", "--json"]);
		assert.deepEqual(
			(listing.last.teams as { name: string; apps: string[]; members: { id: string }[] }[]).map((t) => [t.name, t.apps, t.members.map((m) => m.id)]),
			[["acme", ["hello"], ["alice", "bob"]]],
		);
	});

	test("bob sets up his own machine with the usual servers add: the host key pinned, who he is said, nothing installed or changed", async () => {
		const before = await team.stateHash();
		const home = await mkdtemp(join(tmpdir(), "deploy-bob-home-"));
		try {
			const { sshd } = team.server;
			const add = await runCli(["servers", "add", "work", `${sshd.user}@127.0.0.1`, "--port", String(sshd.port), "--identity", team.keys.member, "--accept-new-host-key", "--json"], { cwd: home, env: { DEPLOY_HOME: home } });
			assert.equal(add.code, 0, add.stdout + add.stderr);
			assert.equal(add.last.hostKeyFingerprint, sshd.hostKeyFingerprint);
			assert.equal((add.last.member as { member: string }).member, "bob");
			assert.equal(add.last.httpPort, team.server.httpPort);
			const human = await runCli(["servers", "add", "work2", `${sshd.user}@127.0.0.1`, "--port", String(sshd.port), "--identity", team.keys.member, "--accept-new-host-key"], { cwd: home, env: { DEPLOY_HOME: home } });
			assert.match(human.stdout, /You are bob there: member in acme \(apps hello\)\. Its owner set it up; nothing was installed or changed\./);
			const me = await runCli(["whoami", "--server", "work", "--json"], { cwd: home, env: { DEPLOY_HOME: home } });
			assert.equal(me.last.member, "bob");
			assert.equal(await team.stateHash(), before);
		} finally {
			await rm(home, { recursive: true, force: true });
		}
	});

	test("bad input to the team commands: a clear error with a hint, nothing changed on the server", async () => {
		const before = await team.stateHash();
		const outsider = `${team.keys.outsider}.pub`;
		const cases: [string[], string, number][] = [
			[["team", "add", "carol", "--key", team.keys.outsider, "--team", "acme"], "BAD_PUBLIC_KEY", 1],
			[["team", "add", "carol", "--key", `${team.server.sshd.identityFile}.pub`, "--team", "acme"], "KEY_IN_USE", 1],
			[["team", "add", "carol", "--key", `${team.keys.member}.pub`, "--team", "acme"], "KEY_IN_USE", 1],
			[["team", "add", "carol", "--key", outsider, "--team", "nosuch"], "TEAM_UNKNOWN", 1],
			[["team", "add", "carol", "--key", outsider, "--team", "acme", "--apps", "other"], "APP_IN_OTHER_TEAM", 1],
			[["team", "add", "carol", "--team", "acme"], "KEY_REQUIRED", 1],
			[["team", "add", "carol", "--key", `${outsider}.missing`, "--team", "acme"], "BAD_ARGUMENT", 2],
			[["team", "add", "bob", "--team", "acme"], "MEMBER_EXISTS", 1],
			[["team", "set", "bob"], "BAD_ARGUMENT", 2],
			[["team", "set", "bob", "--apps", "hello", "--all-apps"], "BAD_ARGUMENT", 2],
			[["team", "rm", "nobody"], "MEMBER_UNKNOWN", 1],
			[["team", "create", "acme"], "TEAM_EXISTS", 1],
			[["team", "create", "Bad Name"], "BAD_ARGUMENT", 2],
		];
		for (const [args, code, exit] of cases) {
			const run = await team.server.cli([...args, "--json"]);
			const error = run.last.error as { code: string; hint?: string } | undefined;
			assert.equal(error?.code, code, `${args.join(" ")}: ${run.stdout}`);
			assert.ok(error?.hint, `${args.join(" ")}: no hint`);
			assert.equal(run.code, exit, args.join(" "));
		}
		const role = await team.server.cli(["team", "add", "carol", "--key", outsider, "--team", "acme", "--role", "boss"]);
		assert.equal(role.code, 2);
		assert.match(role.stderr, /Allowed choices are member, admin, owner/);
		assert.equal(await team.stateHash(), before);
	});

	test("team ls mirrors the server's teams into the local store", async () => {
		await team.server.cli(["team", "ls"]);
		const db = new Database(join(team.homeOf("owner"), "deploy.db"), { readonly: true });
		try {
			const rows = db
				.prepare("SELECT teams.name AS team, teams.apps AS teamApps, users.name AS member, users.fingerprint, team_members.role, team_members.apps FROM team_members JOIN teams ON teams.id = team_id JOIN users ON users.id = user_id WHERE teams.server = 'prod' ORDER BY users.name")
				.all() as { team: string; teamApps: string; member: string; fingerprint: string; role: string; apps: string | null }[];
			assert.deepEqual(
				rows.map((r) => [r.team, r.teamApps, r.member, r.role, r.apps]),
				[
					["acme", '["hello"]', "alice", "admin", null],
					["acme", '["hello"]', "bob", "member", '["hello"]'],
				],
			);
			assert.ok(rows.every((r) => r.fingerprint.startsWith("SHA256:")));
		} finally {
			db.close();
		}
	});

	test("bob cannot deploy production: refused by the server, naming the role, nothing changed", async () => {
		const before = await team.stateHash();
		const run = await team.cliAs("member", ["--json"]);
		assert.equal(run.code, 1, run.stdout);
		const error = run.last.error as { code: string; message: string; hint: string };
		assert.equal(error.code, "PERMISSION_DENIED");
		assert.match(error.message, /needs the role admin \(or a member given --can-deploy-production\); bob is member in team acme/);
		assert.match(error.hint, /deploy team set bob --role admin/);
		assert.equal(await team.stateHash(), before);
	});

	test("bob deploys a preview of hello; another team's app is not in his ls", async () => {
		const git = (...args: string[]) => execa("git", ["-c", "user.name=Bob", "-c", "user.email=bob@example.com", "-c", "commit.gpgsign=false", ...args], { cwd: team.server.appDir });
		await git("init", "-q", "-b", "feature-x");
		await git("add", ".");
		await git("commit", "-q", "-m", "bob's change");
		const run = await team.cliAs("member", ["--json"]);
		assert.equal(run.code, 0, run.stderr);
		assert.equal((run.last.preview as { of: string }).of, "hello");
		assert.equal((await httpGet(team.server.httpPort, "feature-x-hello.127.0.0.1.sslip.io")).status, 200);
		// Outside an app's folder: `ls` lists every app the server shows the caller.
		const mine = JSON.parse((await team.cliAs("member", ["ls", "--json"], team.homeOf("member"))).stdout) as { app: string }[];
		assert.ok(mine.some((r) => r.app === "feature-x-hello"));
		assert.ok(!mine.some((r) => r.app === "other"), "bob sees the other team's app");
		const owners = JSON.parse((await team.server.cli(["ls", "--json"], team.homeOf("owner"))).stdout) as { app: string }[];
		assert.ok(owners.some((r) => r.app === "other"));
		// Asking for it by name says no more than for an app that does not exist.
		const other = await team.cliAs("member", ["logs", "--app", "other", "--json"]);
		const none = await team.cliAs("member", ["logs", "--app", "nosuch", "--json"]);
		assert.equal((other.last.error as { message: string }).message.replace("other", "X"), (none.last.error as { message: string }).message.replace("nosuch", "X"));
	});

	test("alice (admin) deploys production", async () => {
		await execa("git", ["checkout", "-q", "-b", "main"], { cwd: team.server.appDir });
		const run = await team.cliAs("admin", ["--json"]);
		assert.equal(run.code, 0, run.stderr);
		assert.equal(run.last.preview, undefined);
		assert.equal(run.last.app, "hello");
	});

	test("bob lists hello's secrets by name, masked; revealing them is refused", async () => {
		const set = await team.server.cli(["env", "set", "BOB_CAN_SEE_THE_NAME=not-the-value", "--json"]);
		assert.equal(set.code, 0, set.stdout + set.stderr);
		const names = await team.cliAs("member", ["env", "ls", "--json"]);
		assert.equal(names.code, 0, names.stdout + names.stderr);
		assert.ok(names.stdout.includes("BOB_CAN_SEE_THE_NAME"), names.stdout);
		assert.ok(!names.stdout.includes("not-the-value"), "a value reached bob");
		const reveal = await team.cliAs("member", ["env", "ls", "--reveal", "--json"]);
		assert.equal(reveal.code, 1, reveal.stdout);
		assert.match((reveal.last.error as { message: string }).message, /app\.env-reveal on hello needs the role admin; bob is member in team acme/);
		assert.ok(!reveal.stdout.includes("not-the-value"));
	});

	test("code bob deploys runs as its own user: it reaches neither the agent's keys, the team state, the audit log, nor another team's app", async () => {
		// The isolation prober (test/fixtures/isolation-prober) as a preview of hello, from a branch of bob's.
		const dir = await mkdtemp(join(tmpdir(), "deploy-team-prober-"));
		try {
			await cp(join(repoRoot, "test", "fixtures", "isolation-prober"), dir, { recursive: true });
			const git = (...args: string[]) => execa("git", ["-c", "user.name=Bob", "-c", "user.email=bob@example.com", "-c", "commit.gpgsign=false", ...args], { cwd: dir });
			await git("init", "-q", "-b", "probe");
			await git("add", ".");
			await git("commit", "-q", "-m", "probe");
			// The other team's app gets a secret: the agent's secrets key and that app's sealed env now exist.
			const secret = await team.server.cli(["env", "set", "OTHER_TOKEN=t0k3n-of-other", "--app", "other", "--json"], team.homeOf("owner"));
			assert.equal(secret.code, 0, secret.stderr);
			const run = await team.cliAs("member", ["--app", "hello", "--json"], dir);
			assert.equal(run.code, 0, run.stderr);
			const host = "probe-hello.127.0.0.1.sslip.io";
			const ask = async (path: string) => JSON.parse((await httpGet(team.server.httpPort, host, path)).body) as { ok: boolean; code?: string; uid?: number };
			assert.notEqual((await ask("/self")).uid, 0, "bob's code runs as root");
			const home = team.server.sshd.agentHome;
			for (const path of [join(home, "secrets.key"), join(home, "team.json"), join(home, "audit.log"), team.server.sshd.authorizedKeysFile, join(home, "apps", "other", "state.json"), join(home, "apps", "other", "env", "production.json")]) {
				await access(path); // there, for the agent
				const read = await ask(`/read?path=${encodeURIComponent(path)}`);
				assert.equal(read.ok, false, `bob's code read ${path}`);
			}
			assert.equal((await ask(`/list?path=${encodeURIComponent(join(home, "apps", "other"))}`)).ok, false, "bob's code listed the other app's folder");
			assert.equal((await ask(`/write?path=${encodeURIComponent(join(home, "team.json"))}`)).ok, false, "bob's code wrote the team state");
		} finally {
			await rm(dir, { recursive: true, force: true });
		}
	});

	test("team rm while bob follows logs: the stream ends, his next command is refused", async () => {
		const logs = startCli(["logs", "-f", "--app", "hello", "--lines", "1"], { cwd: team.server.appDir, env: { DEPLOY_HOME: team.homeOf("member") } });
		await logs.waitFor(/./);
		const removed = await team.server.cli(["team", "rm", "bob", "--json"]);
		assert.equal(removed.code, 0, removed.stderr);
		assert.deepEqual(removed.last, { id: "bob", removedKey: true });
		const ended = await logs.done;
		assert.notEqual(ended.code, 0);
		const next = await team.cliAs("member", ["ps", "--json"]);
		assert.notEqual(next.code, 0);
		assert.ok(!(await readFile(team.server.sshd.authorizedKeysFile, "utf8")).includes("deploy-member:bob"));
		const owner = await team.ssh("owner", [], ["true"]);
		assert.equal(owner.code, 0, "the owner's key line was kept");
	});

	test("an owner of acme manages acme's members, and nothing beyond acme", async () => {
		const added = await team.server.cli(["team", "add", "carol", "--key", `${team.keys.outsider}.pub`, "--role", "owner", "--team", "acme", "--json"]);
		assert.equal(added.code, 0, added.stderr);
		// Carol's own machine: the usual servers add with her key.
		const home = team.homeOf("outsider");
		const { sshd } = team.server;
		assert.equal((await runCli(["servers", "add", "mine", `${sshd.user}@127.0.0.1`, "--port", String(sshd.port), "--identity", team.keys.outsider, "--accept-new-host-key"], { cwd: home, env: { DEPLOY_HOME: home } })).code, 0);
		const carol = (args: string[]) => runCli([...args, "--server", "mine", "--json"], { cwd: home, env: { DEPLOY_HOME: home } });
		// bob's key is free again since he was removed: carol brings him back as a member of acme.
		const back = await carol(["team", "add", "bob", "--key", `${team.keys.member}.pub`, "--team", "acme"]);
		assert.equal(back.code, 0, back.stdout);
		assert.equal((await carol(["team", "set", "bob", "--role", "admin"])).code, 0);
		const before = await team.stateHash();
		for (const args of [
			["team", "create", "mine"],
			["team", "add", "dave", "--key", `${team.keys.admin}.pub`, "--team", "default"],
			["cache", "clear"],
		]) {
			const run = await carol(args);
			assert.equal((run.last.error as { code: string } | undefined)?.code, "PERMISSION_DENIED", `${args.join(" ")}: ${run.stdout}`);
		}
		assert.equal(await team.stateHash(), before);
	});

	test("the audit log has each of these, and no secret", async () => {
		const entries = await audit();
		const has = (member: string | null, action: string, result: string) => entries.some((e) => e.member === member && e.action === action && e.result === result);
		assert.ok(has("bob", "app.deploy", "denied"), "bob's refused production deploy");
		assert.ok(has("bob", "app.deploy", "ok"), "bob's preview");
		assert.ok(has("alice", "app.deploy", "ok"), "alice's production deploy");
		assert.ok(has("bob", "app.logs", "denied"), "bob asking for the other team's app");
		assert.ok(has(null, "team.remove", "ok"), "the owner removing bob");
		assert.ok(entries.filter((e) => e.member === "bob").every((e) => typeof (e as unknown as { fingerprint: string }).fingerprint === "string"));
		// The env value set by the owner: its name is in the log, its value nowhere.
		const raw = await readFile(join(team.server.sshd.agentHome, "audit.log"), "utf8");
		assert.ok(raw.includes("OTHER_TOKEN") && !raw.includes("t0k3n-of-other"));
		const recent = JSON.parse((await team.server.cli(["audit", "--app", "hello", "--since", "1h", "--json"])).stdout) as AuditEntry[];
		assert.ok(recent.length > 0 && recent.every((e) => e.app === "hello"));
		const bad = await team.server.cli(["audit", "--since", "soon", "--json"]);
		assert.equal(bad.code, 2);
		assert.equal((bad.last.error as { code: string }).code, "BAD_ARGUMENT");
	});

	test("deploy.yaml's team: places a new app; only the server's owner moves one to another team", async () => {
		const dir = await mkdtemp(join(tmpdir(), "deploy-team-yaml-"));
		try {
			await cp(join(repoRoot, "examples", "hello"), dir, { recursive: true });
			const yaml = (text: string) => writeFile(join(dir, "deploy.yaml"), text);
			const teamsOf = async () => Object.fromEntries(((await team.server.cli(["team", "ls", "--json"])).last.teams as { name: string; apps: string[] }[]).map((t) => [t.name, t.apps]));
			await yaml("app: shop2\nteam: nosuch\n");
			const unknown = await team.cliAs("admin", ["--json"], dir);
			assert.equal((unknown.last.error as { code: string }).code, "TEAM_UNKNOWN");
			await yaml("app: shop2\nteam: acme\n");
			const placed = await team.cliAs("admin", ["--json"], dir);
			assert.equal(placed.code, 0, placed.stdout);
			assert.deepEqual((await teamsOf()).acme, ["hello", "shop2"]);
			// alice is in acme only: the default team's app is not hers to take.
			await yaml("app: other\nteam: acme\n");
			const taken = await team.cliAs("admin", ["--json"], dir);
			assert.equal((taken.last.error as { code: string }).code, "PERMISSION_DENIED");
			assert.deepEqual((await teamsOf()).acme, ["hello", "shop2"]);
			const moved = await team.server.cli(["--json"], dir);
			assert.equal(moved.code, 0, moved.stdout);
			assert.deepEqual((await teamsOf()).acme, ["hello", "other", "shop2"]);
		} finally {
			await rm(dir, { recursive: true, force: true });
		}
	});
});

/** Whether an HTTP request through a local tunnel port gets any answer. */
function throughTunnel(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const attempt = (left: number) => {
			const socket = connect(port, "127.0.0.1");
			let answered = false;
			socket.on("connect", () => socket.write("GET / HTTP/1.1\r\nHost: hello.127.0.0.1.sslip.io\r\nConnection: close\r\n\r\n"));
			socket.on("data", () => {
				answered = true;
			});
			socket.on("error", () => (left > 0 ? setTimeout(() => attempt(left - 1), 200) : resolve(false)));
			socket.on("close", (hadError) => {
				if (!hadError) resolve(answered);
			});
		};
		attempt(25);
	});
}
