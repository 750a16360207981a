// Issue 12, end to end on a bare Debian 12 (test/fixtures/fresh-server.ts): no Node.js, no
// proxy, a passwordless-sudo login. `servers add` installs the agent's Node.js from a
// mirror of the official dist (checked against SHASUMS256.txt), Caddy from Debian's own
// package, the boot units; apps run on the Node.js major they ask for; after a reboot
// (every process killed, the enabled units started as systemd would) the app answers
// with no client command; `servers upgrade` keeps it serving; `rm --purge` removes it all.
// systemd is installed but not running here, as in a container: the units are enabled,
// and `servers add` says plainly that nothing would start them.
import assert from "node:assert/strict";
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, test } from "vitest";
import { setTimeout as sleep } from "node:timers/promises";
import { AGENT_NODE_VERSION } from "../../core/protocol/runtime.js";
import { expressApp } from "../helpers/app-templates.js";
import { type FreshServer, startFreshServer } from "../fixtures/fresh-server.js";
import { type NodeMirror, startNodeMirror } from "../fixtures/node-mirror.js";
import { type CliRun, repoRoot, runCli } from "../helpers/cli.js";
import { freePort, httpGet } from "../helpers/net.js";
import { startTraffic } from "../load/traffic.js";

const APP_NODE = "22.23.5";

describe("a bare Debian 12 server, set up by `servers add` as a sudo login", () => {
	let server: FreshServer;
	let mirror: NodeMirror;
	let home: string;
	let work: string;
	let httpPort: number;
	let httpsPort: number;
	const env = () => ({ DEPLOY_HOME: home });
	const cli = (args: string[], cwd = home) => runCli(args, { cwd, env: env() });
	const addArgs = (name: string, user: string) => [
		"servers",
		"add",
		name,
		`${user}@127.0.0.1`,
		"--port",
		String(server.port),
		"--identity",
		server.identityFile,
		"--proxy",
		"caddy",
		"--http-port",
		String(httpPort),
		"--https-port",
		String(httpsPort),
		"--no-tls",
		"--accept-new-host-key",
		"--node-mirror",
		mirror.url,
	];
	/**
	 * Every file of ours and of the system, with its content's hash: what "changes nothing" compares.
	 * Logs and metrics (the collector's 10 s ticks) grow by themselves; Debian's sudo drops ~/.sudo_as_admin_successful at a member of a
	 * group "admin"'s first sudo (the fixture's login is called admin).
	 */
	const snapshot = async () => {
		const listing = await server.exec(
			"find /etc /usr /var/lib/deploy /root /home -xdev \\( -type f -o -type l \\) ! -name '*.log' ! -name '*.log.[0-9]' ! -path '/var/lib/deploy/apps/*/logs/*' ! -path '/var/lib/deploy/metrics/*' ! -path '/var/lib/deploy/proxy/data/*' ! -name .sudo_as_admin_successful -print0 2>/dev/null | xargs -0 -r sha256sum 2>/dev/null | sort -k2",
		);
		return new Map(listing.stdout.split("\n").filter(Boolean).map((line) => [line.slice(66), line.slice(0, 64)] as const));
	};
	/** The paths whose content differs between two snapshots, added or removed. */
	const differences = (before: Map<string, string>, after: Map<string, string>) =>
		[...new Set([...before.keys(), ...after.keys()])].filter((path) => before.get(path) !== after.get(path)).map((path) => `${path}: ${before.has(path) ? (after.has(path) ? "changed" : "removed") : "added"}`);

	beforeAll(async () => {
		[server, mirror] = await Promise.all([startFreshServer(), startNodeMirror()]);
		home = await mkdtemp(join(tmpdir(), "deploy-fresh-home-"));
		work = await mkdtemp(join(tmpdir(), "deploy-fresh-apps-"));
		httpPort = await freePort();
		httpsPort = await freePort();
	});
	afterAll(async () => {
		await server?.stop();
		await mirror?.stop();
		await rm(home, { recursive: true, force: true });
		await rm(work, { recursive: true, force: true });
	});

	test("a login whose sudo wants a password: a clear error saying what to add to sudoers, nothing changed", async () => {
		const before = await server.changes();
		const run = await cli([...addArgs("prod", "carol"), "--json"]);
		assert.equal(run.code, 1, run.stderr);
		const error = run.last.error as { code: string; message: string; hint: string };
		assert.equal(error.code, "SUDO_PASSWORD_REQUIRED");
		assert.match(error.message, /carol .* may use sudo only with a password .*Nothing was changed/);
		assert.match(error.hint, /carol ALL=\(ALL\) NOPASSWD:ALL/);
		assert.deepEqual(await server.changes(), before, "the server is as it was");
		assert.deepEqual(JSON.parse((await cli(["servers", "ls", "--json"])).stdout), []);
	});

	test("an unsupported system is refused up front with what was found, nothing changed", async () => {
		const original = (await server.readFile("/etc/os-release")) ?? "";
		await server.exec("printf 'PRETTY_NAME=\"Ubuntu 20.04.6 LTS\"\\nID=ubuntu\\nVERSION_ID=\"20.04\"\\n' > /etc/os-release.test && mv /etc/os-release /etc/os-release.orig && mv /etc/os-release.test /etc/os-release");
		try {
			const before = await snapshot();
			const run = await cli([...addArgs("prod", "admin"), "--json"]);
			assert.equal(run.code, 1, run.stderr);
			const error = run.last.error as { code: string; message: string };
			assert.equal(error.code, "UNSUPPORTED_SERVER");
			assert.match(error.message, /runs Ubuntu 20.04.6 LTS \(ID=ubuntu, VERSION_ID=20.04 in \/etc\/os-release\)\. Supported: Debian 11, 12 and 13, Ubuntu 22.04 and 24.04/);
			assert.deepEqual(differences(before, await snapshot()), []);
		} finally {
			await server.exec("mv /etc/os-release.orig /etc/os-release");
		}
		assert.equal(await server.readFile("/etc/os-release"), original);
	});

	test("a Node.js tarball that does not match SHASUMS256.txt is refused and nothing is installed", async () => {
		const tampered = await startNodeMirror();
		try {
			tampered.tamper(AGENT_NODE_VERSION);
			const run = await cli([...addArgs("prod", "admin").filter((arg) => arg !== mirror.url), tampered.url, "--json"]);
			assert.equal(run.code, 1, run.stderr);
			const error = run.last.error as { code: string; message: string };
			assert.equal(error.code, "RUNTIME_CHECKSUM_MISMATCH");
			assert.match(error.message, /does not match its checksum in .*SHASUMS256.txt.*Nothing was installed/);
			assert.equal((await server.exec("ls -A /var/lib/deploy/runtimes")).stdout, "", "no runtime, no half-unpacked folder");
			assert.deepEqual(JSON.parse((await cli(["servers", "ls", "--json"])).stdout), []);
		} finally {
			await tampered.stop();
		}
	});

	let added: CliRun;
	test("servers add: runtime, agent, Caddy from Debian's package, boot units, each step shown with its time", async () => {
		added = await cli([...addArgs("prod", "admin"), "--json"]);
		assert.equal(added.code, 0, added.stderr + added.stdout);
		const steps = added.lines.filter((l) => (l as { type?: string }).type === "step" && (l as { status?: string }).status !== "started") as { step: string; status: string; message?: string; durationMs?: number }[];
		assert.deepEqual(
			steps.map((s) => `${s.step} ${s.status}`),
			["connect done", "sudo done", "os done", "runtime done", "agent done", "proxy done", "units done", "firewall done", "proxy done"],
		);
		for (const step of steps) assert.equal(typeof step.durationMs, "number", `${step.step} has its time`);
		const by = (name: string) => steps.find((s) => s.step === name)!;
		assert.equal(by("sudo").message, "admin has passwordless sudo");
		assert.match(by("os").message ?? "", /^Debian GNU\/Linux 12 \(bookworm\), x86_64$/);
		assert.equal(by("runtime").message, `Node.js ${AGENT_NODE_VERSION} installed from ${mirror.url}, checksum-verified against SHASUMS256.txt`);
		assert.match(by("proxy").message ?? "", /^caddy 2\.\d+\.\d+ installed \(Debian GNU\/Linux 12 \(bookworm\)'s package\)$/);
		assert.match(by("units").message ?? "", /deploy-upstreams.service, deploy-proxy.service, and deploy-agent.service enabled, but systemd is not running here .*nothing starts the agent, the proxy or the apps after a reboot/);
		assert.match(by("firewall").message ?? "", /no active host firewall/);

		const result = added.last as { privilege: string; setup: { privilege: string; node: { version: string; installed: boolean }; proxy: { source: string }; boot: { systemd: string; units: string[] } } };
		assert.equal(result.privilege, "sudo");
		assert.deepEqual(result.setup.node, { version: `v${AGENT_NODE_VERSION}`, installed: true });
		assert.equal(result.setup.proxy.source, "package");
		assert.equal(result.setup.boot.systemd, "offline");
		assert.deepEqual(result.setup.boot.units, ["deploy-upstreams.service", "deploy-proxy.service", "deploy-agent.service"]);
		assert.ok(mirror.requests.includes(`/v${AGENT_NODE_VERSION}/SHASUMS256.txt`), "verified against the release's checksums");

		// What is on the server: the agent's own runtime beside no system Node, our units enabled, Debian's caddy.service not.
		assert.equal((await server.exec("readlink /var/lib/deploy/runtimes/agent")).stdout.trim(), `node-v${AGENT_NODE_VERSION}-linux-x64`);
		assert.equal((await server.exec("test -e /usr/bin/node || test -e /usr/local/bin/node")).exitCode, 1, "the server still has no Node.js of its own");
		assert.match((await server.readFile("/etc/systemd/system/deploy-agent.service")) ?? "", /^ExecStart=\/var\/lib\/deploy\/runtimes\/agent\/bin\/node --max-semi-space-size=1 \/var\/lib\/deploy\/bin\/agent.mjs daemon$/m);
		assert.match((await server.readFile("/etc/systemd/system/deploy-proxy.service")) ?? "", /^ExecStart=\/usr\/bin\/caddy run --config \/var\/lib\/deploy\/proxy\/caddy.json/m);
		const wants = (await server.exec("ls /etc/systemd/system/multi-user.target.wants")).stdout.split("\n");
		assert.ok(["deploy-agent.service", "deploy-proxy.service", "deploy-upstreams.service"].every((unit) => wants.includes(unit)), wants.join(" "));
		assert.ok(!wants.includes("caddy.service"), "Debian's own caddy.service would take the port at boot");
		// The agent is root's; the sudo login reaches its socket without sudo, and sees nothing else of the home.
		assert.equal((await server.exec("stat -c '%a %U' /var/lib/deploy /var/lib/deploy/apps")).stdout, "711 root\n700 root\n");
		assert.equal((await server.exec("stat -c %U /var/lib/deploy/agent.sock")).stdout.trim(), "admin");
	});

	let shop: string;
	let hello: string;
	test("two apps on two Node.js majors: engines.node picks 22, no engines gets the agent's LTS; both answer through Caddy", async () => {
		shop = expressApp(work);
		const pkg = JSON.parse(await readFile(join(shop, "package.json"), "utf8"));
		await writeFile(join(shop, "package.json"), JSON.stringify({ ...pkg, name: "shop", engines: { node: "22.x" } }, null, 2));
		hello = join(work, "hello");
		await cp(join(repoRoot, "examples", "hello"), hello, { recursive: true });

		const deployShop = await cli(["--json"], shop);
		assert.equal(deployShop.code, 0, deployShop.stderr + deployShop.stdout);
		const logLines = deployShop.lines.filter((l) => (l as { type?: string }).type === "log").map((l) => (l as { line: string }).line);
		assert.ok(logLines.includes(`node: v${APP_NODE} (engines.node in package.json asks for "22.x")`), logLines.join("\n"));
		const runtimeStep = deployShop.lines.find((l) => (l as { step?: string; status?: string }).step === "runtime" && (l as { status?: string }).status === "done") as { message?: string } | undefined;
		assert.match(runtimeStep?.message ?? "", new RegExp(`Node.js v${APP_NODE} installed from .*checksum-verified`));
		const deployHello = await cli(["--json"], hello);
		assert.equal(deployHello.code, 0, deployHello.stderr + deployHello.stdout);

		const shopAnswer = await httpGet(httpPort, "shop.127.0.0.1.sslip.io", "/users");
		assert.equal(shopAnswer.status, 200, shopAnswer.body);
		assert.equal((await httpGet(httpPort, "hello.127.0.0.1.sslip.io")).status, 200);

		const ps = JSON.parse((await cli(["ps", "--json"], shop)).stdout) as { node?: string; status: string }[];
		assert.deepEqual([...new Set(ps.map((i) => i.node))], [`v${APP_NODE}`]);
		const psHello = JSON.parse((await cli(["ps", "--json"], hello)).stdout) as { node?: string }[];
		assert.deepEqual([...new Set(psHello.map((i) => i.node))], [`v${AGENT_NODE_VERSION}`]);
		const ls = JSON.parse((await cli(["ls", "--json"], shop)).stdout) as { node?: string; status: string }[];
		assert.equal(ls[0]?.node, `v${APP_NODE}`);
		// The process itself runs on that Node.
		const versions = await server.exec("for p in $(pgrep -f 'bin/www'); do readlink /proc/$p/exe; done");
		assert.match(versions.stdout, new RegExp(`/var/lib/deploy/runtimes/node-v${APP_NODE}-linux-x64/bin/node`));
	});

	test("an engines.node no release satisfies fails before anything is built, naming the range", async () => {
		const impossible = join(work, "impossible");
		await cp(join(repoRoot, "examples", "hello"), impossible, { recursive: true });
		const pkg = JSON.parse(await readFile(join(impossible, "package.json"), "utf8"));
		await writeFile(join(impossible, "package.json"), JSON.stringify({ ...pkg, name: "impossible", engines: { node: "^99" } }));
		const run = await cli(["--json"], impossible);
		assert.equal(run.code, 1, run.stdout);
		const error = run.last.error as { code: string; message: string };
		assert.equal(error.code, "NODE_VERSION_UNAVAILABLE");
		assert.match(error.message, /engines.node in package.json asks for Node.js "\^99", which matches no Node.js release. Nothing was built/);
		assert.ok(mirror.requests.includes("/index.json"), "the mirror's index was asked");
		const started = run.lines.filter((l) => (l as { status?: string }).status === "started").map((l) => (l as { step: string }).step);
		assert.ok(!started.includes("install") && !started.includes("build"), started.join(" "));
	});

	test("running servers add again (another name for the same server) changes nothing on it", async () => {
		const before = await snapshot();
		try {
			const again = await cli([...addArgs("prod-again", "admin"), "--json"]);
			assert.equal(again.code, 0, again.stderr);
			const steps = again.lines.filter((l) => (l as { status?: string }).status === "done") as { step: string; message?: string }[];
			assert.match(steps.find((s) => s.step === "runtime")?.message ?? "", /already installed/);
			assert.equal(steps.find((s) => s.step === "agent")?.message, "already this version");
			assert.match(steps.find((s) => s.step === "proxy")?.message ?? "", /already installed/);
			assert.deepEqual(differences(before, await snapshot()), []);
		} finally {
			await cli(["servers", "rm", "prod-again"]);
		}
	});

	test("a reboot: every process killed, the enabled units started as systemd would; the apps answer with no client command", async () => {
		const started = await server.reboot();
		assert.deepEqual(started, ["deploy-upstreams.service", "deploy-proxy.service", "deploy-agent.service"]);
		const deadline = Date.now() + 30_000;
		let status = 0;
		while (Date.now() < deadline) {
			status = await httpGet(httpPort, "shop.127.0.0.1.sslip.io", "/users").then((a) => a.status, () => 0);
			if (status === 200) break;
			await sleep(200);
		}
		assert.equal(status, 200, "shop answers again");
		assert.equal((await httpGet(httpPort, "hello.127.0.0.1.sslip.io")).status, 200);
		const ps = JSON.parse((await cli(["ps", "--json"], shop)).stdout) as { status: string; restarts: number; node?: string }[];
		assert.ok(ps.every((i) => i.status === "running" && i.node === `v${APP_NODE}`), JSON.stringify(ps));
	});

	test("servers upgrade from an older agent on an older runtime: swapped while the app keeps serving", async () => {
		// What a server set up by an older client looks like: the agent on another Node, another bundle installed.
		await server.exec(`ln -sfn node-v${APP_NODE}-linux-x64 /var/lib/deploy/runtimes/agent && echo 0000 > /var/lib/deploy/bin/agent.sha256 && kill $(cat /var/lib/deploy/agent.pid)`);
		const traffic = startTraffic(httpPort, "hello.127.0.0.1.sslip.io", { connections: 10 });
		await traffic.moreAnswers(20);
		const upgrade = await cli(["servers", "upgrade", "prod", "--json"]);
		await traffic.moreAnswers(20);
		const report = await traffic.stop();
		assert.equal(upgrade.code, 0, upgrade.stderr + upgrade.stdout);
		const steps = upgrade.lines.filter((l) => (l as { status?: string }).status === "done") as { step: string; message?: string }[];
		assert.equal(steps.find((s) => s.step === "agent")?.message, "upgraded");
		assert.equal((await server.exec("readlink /var/lib/deploy/runtimes/agent")).stdout.trim(), `node-v${AGENT_NODE_VERSION}-linux-x64`);
		const pid = (await server.readFile("/var/lib/deploy/agent.pid"))?.trim();
		assert.match((await server.exec(`readlink /proc/${pid}/exe`)).stdout, new RegExp(`node-v${AGENT_NODE_VERSION}-linux-x64/bin/node`), "the agent runs on the pinned runtime again");
		if (report.errors + report.non2xx + report.timeouts > 0) {
			const logs = await server.exec("tail -n 30 /var/lib/deploy/agent.log; grep -v '\"logger\":\"http.log.access' /var/lib/deploy/proxy/caddy.log | tail -n 20; tail -n 5 /var/lib/deploy/proxy/upstream-dns.log");
			assert.fail(`${JSON.stringify({ ...report, bodies: [...report.bodies] })}\n${logs.stdout}`);
		}
		assert.ok(report.total > 40);
	});

	test("servers rm --purge: apps stopped, units, agent, runtimes and the Caddy it installed removed; nothing of ours runs", async () => {
		const refused = await cli(["servers", "rm", "prod", "--purge"]);
		assert.equal(refused.code, 2, "a script must say --yes");
		const run = await cli(["servers", "rm", "prod", "--purge", "--yes", "--json"]);
		assert.equal(run.code, 0, run.stderr + run.stdout);
		const result = run.last as { purged: { removed: string[]; kept: string[] } };
		assert.ok(result.purged.removed.includes("/var/lib/deploy"));
		assert.ok(result.purged.removed.includes("package caddy"));
		assert.ok(result.purged.kept.some((k) => /caddy system user/.test(k)));
		assert.equal((await server.exec("test -e /var/lib/deploy || test -e /etc/systemd/system/deploy-agent.service || test -e /etc/systemd/system/deploy-proxy.service || test -e /etc/systemd/system/deploy-upstreams.service")).exitCode, 1);
		assert.equal((await server.exec("ls /etc/systemd/system/multi-user.target.wants | grep -c deploy-")).stdout.trim(), "0");
		// biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query's own format syntax, not a template
		assert.notEqual((await server.exec("dpkg-query -W -f='${Status}' caddy")).stdout, "install ok installed");
		const left = (await server.processes()).filter((p) => !p.cmdline[0]?.includes("sshd"));
		assert.deepEqual(left, []);
		await assert.rejects(httpGet(httpPort, "hello.127.0.0.1.sslip.io"));
		assert.deepEqual(JSON.parse((await cli(["servers", "ls", "--json"])).stdout), []);
	});
});
