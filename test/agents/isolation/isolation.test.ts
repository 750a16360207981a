// Issue 13: what isolates one app from another, in its pure parts (names, argv, rules,
// the folders an app's user may pass) by exact equality, and live where this machine
// allows it (the tests run as root here): a real user made and removed, a real process
// dropped to it with no_new_privs.
import assert from "node:assert/strict";
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { chmod, mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, test } from "vitest";
import { resolveHome } from "../../../agents/home.js";
import { accessPlan, closedParent } from "../../../agents/isolation/access.js";
import { iptablesPortRule, iptablesRemove, iptablesSync, nftPort, nftRuleset } from "../../../agents/isolation/firewall.js";
import { identityEnv, privateTmpArgv, runAsArgv } from "../../../agents/isolation/launch.js";
import { appUserComment, appUserName } from "../../../agents/isolation/names.js";
import { userTools } from "../../../agents/isolation/probe.js";
import { AppUsers } from "../../../agents/isolation/users.js";
import { limitedArgv } from "../../../agents/limits/launch.js";
import { instanceEnv } from "../../../agents/util/env.js";
import { isRunning } from "../../helpers/agent-harness.js";

const identity = { name: "app-shop", uid: 998, gid: 997 };

describe("isolation, pure parts", () => {
	test("user names: app-<name> on the system install; with a hash of the home elsewhere; never past 32 characters", () => {
		assert.equal(appUserName("shop", "/var/lib/deploy"), "app-shop");
		const a = appUserName("shop", "/tmp/one/agent-home");
		const b = appUserName("shop", "/tmp/two/agent-home");
		assert.match(a, /^app-[0-9a-f]{6}-shop$/);
		assert.notEqual(a, b, "two agents on one machine never share a user");
		assert.equal(appUserName("shop", "/tmp/one/agent-home"), a, "the same home, the same name");
		const long = "x".repeat(63);
		const cut = appUserName(long, "/var/lib/deploy");
		assert.equal(cut.length, 32);
		assert.match(cut, /^app-x{19}-[0-9a-f]{8}$/);
		assert.notEqual(cut, appUserName(`${"x".repeat(62)}y`, "/var/lib/deploy"));
		assert.equal(appUserComment("shop", "/var/lib/deploy"), "Deploy Platform app shop (/var/lib/deploy)");
		assert.equal(appUserComment("shop", "/srv/a:b"), "Deploy Platform app shop (/srv/a_b)", "no ':' in /etc/passwd");
	});

	test("the argv before an app's shell: its user and group, no groups, no_new_privs; the agent's user gets no_new_privs only", () => {
		assert.deepEqual(runAsArgv("/usr/bin/setpriv", identity), ["/usr/bin/setpriv", "--reuid=998", "--regid=997", "--clear-groups", "--no-new-privs", "--"]);
		assert.deepEqual(runAsArgv("/usr/bin/setpriv", null), ["/usr/bin/setpriv", "--no-new-privs", "--"]);
		assert.deepEqual(runAsArgv(null, identity), []);
		assert.deepEqual(identityEnv(identity, "/var/lib/deploy/apps/shop/home"), { HOME: "/var/lib/deploy/apps/shop/home", USER: "app-shop", LOGNAME: "app-shop" });
		assert.deepEqual(identityEnv(null, "/x"), {});
	});

	test("a private /tmp: a mount namespace of its own, the app's tmp bound over /tmp and /var/tmp, then its user", () => {
		const tools = { unshare: "/usr/bin/unshare", mount: "/usr/bin/mount" };
		assert.deepEqual(privateTmpArgv(tools, "/var/lib/deploy/apps/shop/tmp"), [
			"/usr/bin/unshare",
			"--mount",
			"--propagation",
			"private",
			"--",
			"/bin/sh",
			"-c",
			'/usr/bin/mount --bind "$0" /tmp && /usr/bin/mount --bind /tmp /var/tmp && exec "$@"',
			"/var/lib/deploy/apps/shop/tmp",
		]);
		assert.deepEqual(privateTmpArgv(null, "/x"), []);
	});

	test("an instance's argv: the user's prefix right before its shell (no limits here: the probe has not run)", () => {
		const prefix = runAsArgv("/usr/bin/setpriv", identity);
		assert.deepEqual(limitedArgv("node server.js", { memoryBytes: 64 * 1024 * 1024 }, "shop.web.4000", prefix), [...prefix, "/bin/sh", "-c", "exec node server.js"]);
		assert.deepEqual(limitedArgv("node server.js", undefined, "shop.web.4000"), ["/bin/sh", "-c", "exec node server.js"]);
	});

	test("an instance's environment: HOST=127.0.0.1 and its PORT win over deploy.yaml's", () => {
		const env = instanceEnv("/r", { HOST: "0.0.0.0", PORT: "1", GREETING: "hi" }, 4000);
		assert.equal(env.HOST, "127.0.0.1");
		assert.equal(env.PORT, "4000");
		assert.equal(env.GREETING, "hi");
	});

	test("nftables: one table, a set of instance ports, connection attempts from anywhere but loopback dropped", () => {
		assert.equal(
			nftRuleset([41000, 40000, 41000]),
			`add table inet deploy_instances
delete table inet deploy_instances
table inet deploy_instances {
	set ports {
		type inet_service
		elements = { 40000, 41000 }
	}
	chain input {
		type filter hook input priority -10; policy accept;
		iifname "lo" accept
		tcp dport @ports tcp flags & (syn | ack) == syn drop
	}
}
`,
		);
		assert.ok(!nftRuleset([]).includes("elements"), "an empty set has no elements line (nft refuses `{ }`)");
		assert.deepEqual(nftPort("add", 40000), ["add", "element", "inet", "deploy_instances", "ports", "{ 40000 }"]);
		assert.deepEqual(nftPort("delete", 40000), ["delete", "element", "inet", "deploy_instances", "ports", "{ 40000 }"]);
	});

	test("iptables: a chain of its own, one DROP per port for a SYN not on lo; a purge takes jump and chain", () => {
		assert.deepEqual(iptablesPortRule(40000), ["!", "-i", "lo", "-p", "tcp", "--syn", "--dport", "40000", "-j", "DROP"]);
		assert.deepEqual(iptablesSync([41000, 40000]), [
			{ argv: ["-N", "DEPLOY-INSTANCES"], mayFail: true },
			{ argv: ["-F", "DEPLOY-INSTANCES"] },
			{ argv: ["-A", "DEPLOY-INSTANCES", "!", "-i", "lo", "-p", "tcp", "--syn", "--dport", "40000", "-j", "DROP"] },
			{ argv: ["-A", "DEPLOY-INSTANCES", "!", "-i", "lo", "-p", "tcp", "--syn", "--dport", "41000", "-j", "DROP"] },
		]);
		assert.deepEqual(iptablesRemove(), [
			["-D", "INPUT", "-j", "DEPLOY-INSTANCES"],
			["-F", "DEPLOY-INSTANCES"],
			["-X", "DEPLOY-INSTANCES"],
		]);
	});

	test("the paths an app's user may pass or owns, and nothing else of the home", () => {
		const home = resolveHome({ DEPLOY_AGENT_HOME: "/var/lib/deploy" });
		assert.deepEqual(accessPlan(home, "shop", identity, 0), [
			{ path: "/var/lib/deploy", mode: 0o711 },
			{ path: "/var/lib/deploy/apps", mode: 0o711, create: true },
			{ path: "/var/lib/deploy/apps/shop", mode: 0o710, uid: 0, gid: 997, create: true },
			{ path: "/var/lib/deploy/apps/shop/releases", mode: 0o710, uid: 0, gid: 997, create: true },
			{ path: "/var/lib/deploy/apps/shop/home", mode: 0o700, uid: 998, gid: 997, create: true },
			{ path: "/var/lib/deploy/apps/shop/tmp", mode: 0o700, uid: 998, gid: 997, create: true },
			{ path: "/var/lib/deploy/runtimes", mode: 0o711 },
			{ path: "/var/lib/deploy/bin", mode: 0o711 },
			{ path: "/var/lib/deploy/bin/agent.mjs", mode: 0o644 },
		]);
	});

	test("a parent of the home that lets no one through is found (the agent then refuses to isolate, and says which)", async () => {
		const dir = await mkdtemp(join(tmpdir(), "deploy-isolation-"));
		try {
			const home = join(dir, "a", "home");
			await mkdir(home, { recursive: true });
			assert.deepEqual(closedParent(home), { path: dir, mode: 0o700 });
			await chmod(dir, 0o711);
			await chmod(join(dir, "a"), 0o750);
			assert.deepEqual(closedParent(home), { path: join(dir, "a"), mode: 0o750 });
			await chmod(join(dir, "a"), 0o751);
			assert.equal(closedParent(home), null);
		} finally {
			await rm(dir, { recursive: true, force: true });
		}
	});
});

describe("isolation, live on this machine (root)", { skip: Boolean(process.getuid?.() !== 0 ? "needs root" : false) }, () => {
	let dir: string;
	let users: AppUsers;
	const passwd = (name: string) => spawnSync("getent", ["passwd", name], { encoding: "utf8" });

	beforeAll(async () => {
		dir = await mkdtemp(join(tmpdir(), "deploy-isolation-users-"));
		const tools = userTools();
		assert.ok(!("missing" in tools), "useradd and userdel are here");
		users = new AppUsers(dir, tools);
	});
	afterAll(async () => {
		for (const app of await users.apps()) await users.remove(app);
		spawnSync("userdel", [appUserName("taken", dir)]);
		spawnSync("groupdel", [appUserName("taken", dir)]);
		await rm(dir, { recursive: true, force: true });
	});

	test("a system user per app: made once, no login, no home; a process dropped to it has its uid, no groups and no_new_privs", async () => {
		const made = await users.ensure("shop");
		assert.equal(made.name, appUserName("shop", dir));
		assert.deepEqual(await users.ensure("shop"), made, "the same user the second time");
		const [, , uid, gid, comment, home, shell] = passwd(made.name).stdout.trim().split(":");
		assert.deepEqual([Number(uid), Number(gid), comment, home, shell], [made.uid, made.gid, appUserComment("shop", dir), "/nonexistent", "/usr/sbin/nologin"]);
		assert.ok(made.uid > 0 && made.uid < 1000, `a system uid (${made.uid})`);
		const status = execFileSync(runAsArgv("/usr/bin/setpriv", made)[0]!, [...runAsArgv("/usr/bin/setpriv", made).slice(1), "cat", "/proc/self/status"], { encoding: "utf8" });
		assert.match(status, new RegExp(`^Uid:\\s+${made.uid}\\s+${made.uid}\\s`, "m"));
		assert.match(status, new RegExp(`^Gid:\\s+${made.gid}\\s+${made.gid}\\s`, "m"));
		assert.match(status, /^Groups:\s*$/m);
		assert.match(status, /^NoNewPrivs:\s+1$/m);
		assert.match(status, /^CapEff:\s+0+$/m, "no capability left");
		const other = await users.ensure("blog");
		assert.notEqual(other.uid, made.uid);
	});

	test("a user of that name the agent did not make is refused, and left as it was", async () => {
		const name = appUserName("taken", dir);
		execFileSync("useradd", ["--system", "--no-create-home", "--comment", "the operator's own", name]);
		const before = passwd(name).stdout;
		await assert.rejects(users.ensure("taken"), (error: { code?: string; message: string; hint?: string }) => {
			assert.equal(error.code, "APP_USER_TAKEN");
			assert.match(error.message, new RegExp(`already has a user ${name} .* that this agent did not make \\("the operator's own"\\)`));
			assert.match(error.hint ?? "", /Nothing was changed/);
			return true;
		});
		assert.equal(passwd(name).stdout, before);
		assert.ok(!(await users.apps()).includes("taken"));
	});

	test("removing an app's user takes its processes, the user and its group", async () => {
		const made = await users.ensure("gone");
		const [program, ...args] = runAsArgv("/usr/bin/setpriv", made);
		// spawn, not a shell's `&` under spawnSync: that waits for the sleep to end by itself.
		const pid = spawn(program!, [...args, "sleep", "60"], { stdio: "ignore" }).pid!;
		assert.ok(pid > 0);
		await new Promise((resolve) => setTimeout(resolve, 200));
		assert.equal(isRunning(pid), true, "it runs before the user is removed");
		assert.equal(await users.remove("gone"), made.name);
		assert.notEqual(passwd(made.name).status, 0, "no such user any more");
		assert.notEqual(spawnSync("getent", ["group", made.name]).status, 0, "nor its group");
		assert.equal(isRunning(pid), false, "its process is gone");
		assert.equal(await users.remove("gone"), null, "twice is nothing");
	});

	test("removing a user kills no process of another system with the same uid (a chroot sharing the pid namespace)", async () => {
		const made = await users.ensure("twin");
		// Another system's process: its own root (this machine's /, bound elsewhere), and
		// by chance the same uid as our app's user, as a fresh test server's app has.
		const other = join(dir, "other-root");
		await mkdir(other);
		execFileSync("mount", ["--bind", "/", other]);
		try {
			const child = spawn("chroot", [other, "/usr/bin/setpriv", `--reuid=${made.uid}`, `--regid=${made.gid}`, "--clear-groups", "sleep", "60"], { stdio: "ignore" });
			const pid = child.pid!;
			assert.ok(pid > 0);
			await new Promise((resolve) => setTimeout(resolve, 200));
			try {
				assert.equal(await users.remove("twin"), made.name);
				assert.equal(isRunning(pid), true, "the other system's process runs on");
			} finally {
				spawnSync("kill", ["-9", String(pid)]);
			}
		} finally {
			execFileSync("umount", ["-l", other]);
		}
	});
});
