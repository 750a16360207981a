// Issue 6, preview deployments, as a user runs them: a project in a real git repository,
// the built CLI, a real sshd, the agent and Caddy on 127.0.0.1. No name resolves to
// 127.0.0.1 here, so requests carry the host name in the Host header; the server is
// added with --no-tls (plain HTTP: certificates have their own test, test/core/servers/acme.test.ts).
// DEPLOY_AGENT_PREVIEW_SWEEP_MS (a knob for tests, see docs/operations.md) makes the
// agent look for expired previews every 300 ms instead of every minute.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { access, cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, test } from "vitest";
import { execa } from "execa";
import { appUserName } from "../../agents/isolation/names.js";
import { type Sshd, startSshd } from "../fixtures/sshd.js";
import { repoRoot, runCli } from "../helpers/cli.js";
import { freePort, httpGet } from "../helpers/net.js";

interface Row {
	id: string;
	app: string;
	status: string;
	url: string | null;
	urls?: { url: string; kind: string }[];
	preview?: { of: string; branch: string; expiresAt: string };
}

describe("preview deployments per branch", () => {
	let sshd: Sshd;
	let home: string;
	let app: string;
	let httpPort: number;
	const env = () => ({ DEPLOY_HOME: home });
	const cli = (args: string[]) => runCli(args, { cwd: app, env: env() });
	const git = (...args: string[]) => execa("git", ["-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false", ...args], { cwd: app });
	const answer = (host: string) => httpGet(httpPort, host);
	const sslip = (name: string) => `${name}.127.0.0.1.sslip.io`;
	const setMessage = async (text: string) => {
		const file = join(app, "server.js");
		await writeFile(file, (await readFile(file, "utf8")).replace(/const message = ".*";/, `const message = "${text}";`));
	};
	const deploy = async (...args: string[]) => {
		const run = await cli([...args, "--json"]);
		assert.equal(run.code, 0, run.stderr + run.stdout);
		return run.last as unknown as Row & { unchanged?: boolean };
	};
	const ls = async (...args: string[]) => {
		const run = await cli(["ls", "--json", ...args]);
		assert.equal(run.code, 0, run.stderr + run.stdout);
		return JSON.parse(run.stdout) as Row[];
	};
	const pidsOf = async (name: string) => {
		const run = await cli(["ps", "--app", name, "--json"]);
		assert.equal(run.code, 0, run.stderr + run.stdout);
		return (JSON.parse(run.stdout) as { pid: number | null }[]).map((i) => i.pid).filter((pid): pid is number => pid !== null);
	};
	/** Running: in /proc and not a zombie (an adopted instance's reaper here may be slow). */
	const alive = (pid: number) => {
		try {
			const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
			return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
		} catch {
			return false;
		}
	};
	const exists = (path: string) =>
		access(path).then(
			() => true,
			() => false,
		);
	const eventually = async (what: string, check: () => Promise<boolean>, timeoutMs = 30_000) => {
		const deadline = Date.now() + timeoutMs;
		while (!(await check())) {
			if (Date.now() > deadline) assert.fail(`timed out waiting until ${what}`);
			await sleep(200);
		}
	};

	beforeAll(async () => {
		home = await mkdtemp(join(tmpdir(), "deploy-e2e-home-"));
		app = await mkdtemp(join(tmpdir(), "deploy-e2e-previews-"));
		await cp(join(repoRoot, "examples/hello"), app, { recursive: true });
		await writeFile(join(app, "deploy.yaml"), "app: hello\ndomains:\n  - shop.example.test\n");
		await git("init", "-q", "-b", "main");
		await git("add", ".");
		await git("commit", "-q", "-m", "hello");
		sshd = await startSshd({ env: { DEPLOY_AGENT_PREVIEW_SWEEP_MS: "300", DEPLOY_AGENT_SETTLE_MS: "100" } });
		httpPort = await freePort();
		const add = await runCli(
			["servers", "add", "prod", `${sshd.user}@127.0.0.1`, "--port", String(sshd.port), "--identity", sshd.identityFile, "--proxy", "caddy", "--http-port", String(httpPort), "--https-port", String(await freePort()), "--no-tls", "--accept-new-host-key"],
			{ env: env() },
		);
		assert.equal(add.code, 0, add.stderr);
		const production = await deploy();
		assert.equal(production.app, "hello");
		assert.equal(production.preview, undefined);
	});

	afterAll(async () => {
		await sshd?.stop();
		await rm(home, { recursive: true, force: true });
		await rm(app, { recursive: true, force: true });
	});

	test("a deploy from feature/login is a preview at feature-login-hello.<domain>; production keeps serving the old text", async () => {
		await git("checkout", "-q", "-b", "feature/login");
		await setMessage("Hello from the login branch");
		const result = await deploy();
		assert.equal(result.status, "live");
		assert.equal(result.app, "feature-login-hello");
		// Issue 14: the URL that works first (sslip.io needs no DNS), then the domain's host, which needs a wildcard record.
		assert.equal(result.url, `http://${sslip("feature-login-hello")}:${httpPort}`);
		assert.deepEqual(
			result.urls?.map((u) => [u.url, u.kind]),
			[
				[`http://${sslip("feature-login-hello")}:${httpPort}`, "generated"],
				[`http://feature-login-hello.shop.example.test:${httpPort}`, "preview-domain"],
			],
		);
		assert.deepEqual({ of: result.preview?.of, branch: result.preview?.branch }, { of: "hello", branch: "feature/login" });
		// The default time-to-live: seven days from now, on the server's clock (the same machine here).
		const left = Date.parse(result.preview?.expiresAt ?? "") - Date.now();
		assert.ok(left > 6.9 * 86_400_000 && left <= 7 * 86_400_000, `expires in ${left} ms`);
		for (const host of ["feature-login-hello.shop.example.test", sslip("feature-login-hello")]) assert.equal((await answer(host)).body, "Hello from the login branch\n");
		for (const host of ["shop.example.test", sslip("hello")]) assert.equal((await answer(host)).body, "Hello from Deploy Platform\n");
	});

	test("a redeploy of the branch replaces its preview at the same URL", async () => {
		const before = await pidsOf("feature-login-hello");
		await setMessage("Hello again from the login branch");
		const result = await deploy();
		assert.equal(result.app, "feature-login-hello");
		assert.equal(result.url, `http://${sslip("feature-login-hello")}:${httpPort}`);
		assert.equal((await answer("feature-login-hello.shop.example.test")).body, "Hello again from the login branch\n");
		await eventually("the first preview's instances are drained", async () => before.every((pid) => !alive(pid)));
		assert.equal((await answer("shop.example.test")).body, "Hello from Deploy Platform\n");
		await git("commit", "-q", "-am", "login text");
	});

	test("deploy --preview from main is a preview too, with its own time-to-live", async () => {
		await git("checkout", "-q", "main");
		const result = await deploy("--preview", "--ttl", "1h");
		assert.equal(result.app, "main-hello");
		assert.equal(result.preview?.branch, "main");
		const left = Date.parse(result.preview?.expiresAt ?? "") - Date.now();
		assert.ok(left > 3_500_000 && left <= 3_600_000, `expires in ${left} ms`);
		assert.equal((await answer("main-hello.shop.example.test")).body, "Hello from Deploy Platform\n");
	});

	test("a bad --ttl is refused before anything is sent (exit 2)", async () => {
		const run = await cli(["--preview", "--ttl", "5 days", "--json"]);
		assert.equal(run.code, 2, run.stderr + run.stdout);
		assert.equal((run.last.error as { code: string }).code, "BAD_ARGUMENT");
		const feature = (await ls()).filter((r) => r.app === "main-hello");
		assert.equal(feature.length, 1);
	});

	test("deploy ls shows production and the previews, with branch, URL and expiry", async () => {
		const rows = await ls();
		const live = rows.filter((r) => r.status === "live");
		assert.deepEqual(live.map((r) => [r.app, r.preview?.branch ?? null, r.url]).sort(), [
			["feature-login-hello", "feature/login", `http://${sslip("feature-login-hello")}:${httpPort}`],
			["hello", null, `http://shop.example.test:${httpPort}`],
			["main-hello", "main", `http://${sslip("main-hello")}:${httpPort}`],
		]);
		for (const row of live.filter((r) => r.preview)) assert.ok(Date.parse(row.preview?.expiresAt ?? "") > Date.now());
		const human = await cli(["ls"]);
		assert.match(human.stdout, /preview of feature\/login, expires in/);
	});

	test("a preview whose name another app's or branch's preview has is refused, naming both; nothing changes", async () => {
		const before = (await ls()).map((r) => [r.id, r.app, r.status]);
		// Another app, login-hello, from its branch `feature`: its preview would be feature-login-hello too.
		const other = await mkdtemp(join(tmpdir(), "deploy-e2e-previews-other-"));
		try {
			await cp(join(repoRoot, "examples/hello"), other, { recursive: true });
			await writeFile(join(other, "deploy.yaml"), "app: login-hello\ndomains:\n  - shop.example.test\n");
			const inOther = (...args: string[]) => execa("git", ["-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false", ...args], { cwd: other });
			await inOther("init", "-q", "-b", "feature");
			await inOther("add", ".");
			await inOther("commit", "-q", "-m", "another app");
			const run = await runCli(["--json"], { cwd: other, env: env() });
			assert.equal(run.code, 1, run.stderr + run.stdout);
			const error = run.last.error as { code: string; message: string };
			assert.equal(error.code, "PREVIEW_NAME_TAKEN");
			assert.match(error.message, /preview of login-hello for branch feature would be named feature-login-hello, but that is already the preview of hello for branch feature\/login/);
		} finally {
			await rm(other, { recursive: true, force: true });
		}
		// The same app from a branch whose name comes out alike.
		await git("checkout", "-q", "-b", "feature-login");
		const run = await cli(["--json"]);
		await git("checkout", "-q", "main");
		assert.equal(run.code, 1, run.stderr + run.stdout);
		assert.match((run.last.error as { message: string }).message, /for branch feature-login would be named feature-login-hello, but that is already the preview of hello for branch feature\/login/);
		assert.deepEqual((await ls()).map((r) => [r.id, r.app, r.status]), before);
		assert.equal((await answer("feature-login-hello.shop.example.test")).body, "Hello again from the login branch\n");
	});

	test("deploy rm <preview> stops its instances, takes its route away and deletes its files; production is untouched", async () => {
		const preview = (await ls()).find((r) => r.app === "feature-login-hello" && r.status === "live");
		assert.ok(preview);
		const pids = await pidsOf("feature-login-hello");
		assert.ok(pids.length > 0 && pids.every(alive));
		const productionPids = await pidsOf("hello");
		// Issue 13: the preview ran as a user of its own, which goes with it.
		const user = appUserName("feature-login-hello", sshd.agentHome);
		const passwd = async () => (await execa("getent", ["passwd", user], { reject: false })).exitCode;
		assert.equal(await passwd(), 0, `${user} exists while the preview does`);
		const run = await cli(["rm", preview.id, "--json"]);
		assert.equal(run.code, 0, run.stderr + run.stdout);
		assert.equal(run.last.removed, "preview");
		assert.equal(run.last.app, "feature-login-hello");
		assert.equal((await answer("feature-login-hello.shop.example.test")).status, 404);
		assert.equal((await answer(sslip("feature-login-hello"))).status, 404);
		assert.ok(pids.every((pid) => !alive(pid)), "the preview's processes are gone");
		assert.equal(await exists(join(sshd.agentHome, "apps", "feature-login-hello")), false);
		assert.equal(await passwd(), 2, `${user} is removed with the preview`);
		assert.ok(!(await ls()).some((r) => r.app === "feature-login-hello"));
		assert.equal((await answer("shop.example.test")).body, "Hello from Deploy Platform\n");
		assert.deepEqual(await pidsOf("hello"), productionPids);
	});

	test("deploy rm <the live production release> is refused with a rollback hint, and nothing changes", async () => {
		const production = (await ls()).find((r) => r.app === "hello" && r.status === "live");
		assert.ok(production);
		const pids = await pidsOf("hello");
		const run = await cli(["rm", production.id, "--json"]);
		assert.equal(run.code, 1, run.stderr + run.stdout);
		const error = run.last.error as { code: string; hint: string };
		assert.equal(error.code, "DEPLOYMENT_LIVE");
		assert.match(error.hint, /deploy rollback/);
		assert.equal((await answer("shop.example.test")).body, "Hello from Deploy Platform\n");
		assert.deepEqual(await pidsOf("hello"), pids);
		assert.equal((await ls()).find((r) => r.id === production.id)?.status, "live");
	});

	test("an expired preview is removed by the agent alone", async () => {
		await git("checkout", "-q", "-b", "feature/short");
		// Long enough for a loaded machine to read its pids before it expires; counted from the deploy's start.
		const result = await deploy("--ttl", "30s");
		assert.equal(result.app, "feature-short-hello");
		const pids = await pidsOf("feature-short-hello");
		assert.ok(pids.length > 0 && Date.now() < Date.parse(result.preview?.expiresAt ?? ""), "read the pids before the expiry");
		await eventually("the expired preview answers 404", async () => (await answer(sslip("feature-short-hello"))).status === 404, 90_000);
		await eventually("its processes are gone", async () => pids.every((pid) => !alive(pid)));
		await eventually("its files are gone", async () => !(await exists(join(sshd.agentHome, "apps", "feature-short-hello"))));
		assert.equal((await answer("shop.example.test")).body, "Hello from Deploy Platform\n");
		assert.equal((await answer("main-hello.shop.example.test")).status, 200);
	});

	test("a preview that expires while the agent is down is removed when it starts again", async () => {
		await git("checkout", "-q", "-b", "feature/restart");
		const result = await deploy("--ttl", "45s");
		assert.equal(result.app, "feature-restart-hello");
		const daemon = Number((await readFile(join(sshd.agentHome, "agent.pid"), "utf8")).trim());
		assert.ok(Date.now() < Date.parse(result.preview?.expiresAt ?? ""), "the agent stops before the preview expires");
		process.kill(daemon, "SIGTERM");
		await eventually("the agent is down", async () => !alive(daemon));
		await sleep(Math.max(0, Date.parse(result.preview?.expiresAt ?? "") - Date.now()) + 500);
		// Apps outlive the agent: the expired preview still answers, as no agent runs to sweep it.
		assert.equal((await answer(sslip("feature-restart-hello"))).status, 200);
		// Any command starts the agent again; its first sweep removes the preview.
		await ls();
		await eventually("the preview answers 404", async () => (await answer(sslip("feature-restart-hello"))).status === 404);
		assert.ok(!(await ls()).some((r) => r.app === "feature-restart-hello"));
		assert.equal((await answer("shop.example.test")).body, "Hello from Deploy Platform\n");
	});

	test("deploy rm <a kept release that is not live> deletes its files; the live one keeps serving", async () => {
		await git("checkout", "-q", "main");
		await setMessage("Hello from the second release");
		const second = await deploy();
		assert.equal(second.app, "hello");
		const first = (await ls()).find((r) => r.app === "hello" && r.status === "superseded");
		assert.ok(first);
		const release = join(sshd.agentHome, "apps", "hello", "releases", first.id);
		assert.ok(await exists(release));
		const run = await cli(["rm", first.id, "--json"]);
		assert.equal(run.code, 0, run.stderr + run.stdout);
		assert.equal(run.last.removed, "release");
		assert.equal(await exists(release), false);
		assert.ok(!(await ls()).some((r) => r.id === first.id));
		assert.equal((await answer("shop.example.test")).body, "Hello from the second release\n");
	});
});
