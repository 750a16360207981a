// The core loop, end to end, as a user runs it: the built CLI, a real sshd on
// 127.0.0.1, the real agent, a real Caddy, real HTTP through it.
import assert from "node:assert/strict";
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { afterAll, beforeAll, describe, test } from "vitest";
import { type Sshd, startSshd } from "../fixtures/sshd.js";
import { repoRoot, runCli } from "../helpers/cli.js";
import { freePort, httpGet } from "../helpers/net.js";

describe("deploy over SSH to a real server", () => {
	let sshd: Sshd;
	let home: string;
	let app: string;
	let httpPort: number;
	let httpsPort: number;
	const env = () => ({ DEPLOY_HOME: home });
	const host = "hello.127.0.0.1.sslip.io";

	beforeAll(async () => {
		home = await mkdtemp(join(tmpdir(), "deploy-e2e-home-"));
		app = await mkdtemp(join(tmpdir(), "deploy-e2e-app-"));
		await cp(join(repoRoot, "examples/hello"), app, { recursive: true });
		sshd = await startSshd();
		httpPort = await freePort();
		httpsPort = await freePort();
	});

	afterAll(async () => {
		await sshd?.stop();
		await rm(home, { recursive: true, force: true });
		await rm(app, { recursive: true, force: true });
	});

	const addArgs = () => [
		"servers",
		"add",
		"prod",
		`${sshd.user}@127.0.0.1`,
		"--port",
		String(sshd.port),
		"--identity",
		sshd.identityFile,
		"--proxy",
		"caddy",
		"--http-port",
		String(httpPort),
		"--https-port",
		String(httpsPort),
	];

	test("servers add refuses an unknown host key without --accept-new-host-key, and remembers nothing", async () => {
		const run = await runCli([...addArgs(), "--json"], { env: env() });
		assert.equal(run.code, 1, run.stderr);
		assert.equal((run.last.error as { code: string }).code, "HOST_KEY_UNKNOWN");
		assert.match(JSON.stringify(run.last), /--accept-new-host-key/);
		const ls = await runCli(["servers", "ls", "--json"], { env: env() });
		assert.deepEqual(JSON.parse(ls.stdout), []);
	});

	test("servers add with the default proxy, Traefik, whose release cannot be downloaded here: a clear error naming the way out, nothing remembered", async () => {
		const args = addArgs().filter((arg, i, all) => arg !== "--proxy" && all[i - 1] !== "--proxy");
		const run = await runCli([...args, "--accept-new-host-key"], { env: env() });
		assert.equal(run.code, 1, run.stderr);
		assert.match(run.stderr, /✗ proxy/);
		assert.match(run.stderr, /could not download https:\/\/github.com\/traefik\/traefik\/releases\/download\/v[\d.]+\/traefik_v[\d.]+_checksums.txt\. Nothing was installed/);
		assert.match(run.stderr, /--proxy-mirror/);
		assert.match(run.stderr, /--proxy caddy/);
		const ls = await runCli(["servers", "ls", "--json"], { env: env() });
		assert.deepEqual(JSON.parse(ls.stdout), []);
	});

	test("servers add pins the host key and sets up the agent and Caddy", async () => {
		const run = await runCli([...addArgs(), "--accept-new-host-key", "--json"], { env: env() });
		assert.equal(run.code, 0, run.stderr + run.stdout);
		assert.equal(run.last.hostKeyFingerprint, sshd.hostKeyFingerprint);
		assert.equal(run.last.proxy, "caddy");
		const ls = await runCli(["servers", "ls", "--json"], { env: env() });
		const servers = JSON.parse(ls.stdout) as { name: string; hostKeyFingerprint: string }[];
		assert.deepEqual(
			servers.map((s) => [s.name, s.hostKeyFingerprint]),
			[["prod", sshd.hostKeyFingerprint]],
		);
	});

	test("deploy puts the app live and prints its sslip.io URL", async () => {
		const run = await runCli(["--json"], { cwd: app, env: env() });
		assert.equal(run.code, 0, run.stderr + run.stdout);
		assert.equal(run.last.type, "result");
		assert.equal(run.last.app, "hello");
		assert.equal(run.last.status, "live");
		assert.equal(run.last.url, `http://${host}:${httpPort}`);
		assert.ok("commit" in run.last && typeof run.last.id === "string");
		assert.ok(run.lines.some((line) => line.type === "step" && line.step === "healthcheck" && line.status === "done"));
		const answer = await httpGet(httpPort, host);
		assert.equal(answer.status, 200);
		assert.equal(answer.body, "Hello from Deploy Platform\n");
	});

	test("a changed file redeploys, and only that file travels", async () => {
		const server = join(app, "server.js");
		await writeFile(server, (await readFile(server, "utf8")).replace("Hello from Deploy Platform", "Hello again"));
		const run = await runCli(["--json"], { cwd: app, env: env() });
		assert.equal(run.code, 0, run.stderr + run.stdout);
		const upload = run.last.upload as { objectsSent: number; objectBytes: number; files: number };
		assert.equal(upload.objectsSent, 1);
		assert.ok(upload.files >= 2);
		assert.ok(upload.objectBytes < 1024, `compressed ${upload.objectBytes} bytes for one small file`);
		assert.equal((await httpGet(httpPort, host)).body, "Hello again\n");
	});

	test("deploy ls shows both deployments, newest first", async () => {
		const run = await runCli(["ls", "--json"], { cwd: app, env: env() });
		assert.equal(run.code, 0, run.stderr);
		const records = JSON.parse(run.stdout) as { status: string; app: string }[];
		assert.deepEqual(
			records.map((r) => [r.app, r.status]),
			[
				["hello", "live"],
				["hello", "superseded"],
			],
		);
		const human = await runCli(["ls"], { cwd: app, env: env() });
		assert.match(human.stdout, /live/);
	});

	test("deploy logs shows the app's output", async () => {
		const run = await runCli(["logs", "-n", "50"], { cwd: app, env: env() });
		assert.equal(run.code, 0, run.stderr);
		assert.match(run.stdout, /hello listening on \d+/);
		assert.match(run.stdout, /GET \//);
	});

	test("an unknown server is a clear error", async () => {
		const run = await runCli(["--server", "nope"], { cwd: app, env: env() });
		assert.equal(run.code, 2);
		assert.match(run.stderr, /no server named "nope"/);
		assert.match(run.stderr, /hint/);
	});

	test("a bad deploy.yaml is refused before anything travels, naming the path", async () => {
		const bad = await mkdtemp(join(tmpdir(), "deploy-e2e-bad-"));
		await cp(app, bad, { recursive: true });
		await writeFile(join(bad, "deploy.yaml"), "app: hello\nprocesses:\n  web:\n    instances: 0\n");
		const run = await runCli([], { cwd: bad, env: env() });
		await rm(bad, { recursive: true, force: true });
		assert.equal(run.code, 2);
		assert.match(run.stderr, /processes\/web\/instances: must be at least 1/);
		assert.equal((await httpGet(httpPort, host)).body, "Hello again\n");
	});

	test("a failing build fails the deploy, and the previous version keeps answering", async () => {
		await writeFile(join(app, "deploy.yaml"), 'app: hello\nbuild: "echo compiling && exit 3"\n');
		const run = await runCli(["--json"], { cwd: app, env: env() });
		assert.equal(run.code, 1);
		const error = run.last.error as { code: string; message: string };
		assert.equal(error.code, "BUILD_FAILED");
		assert.match(error.message, /exited with code 3/);
		assert.equal((await httpGet(httpPort, host)).body, "Hello again\n");
	});

	test("an app that fails to start fails the deploy, and the previous version keeps answering", async () => {
		await writeFile(join(app, "deploy.yaml"), 'app: hello\nprocesses:\n  web:\n    command: "node -e \\"console.error(\'boom\'); process.exit(1)\\""\n');
		const run = await runCli(["--json"], { cwd: app, env: env() });
		assert.equal(run.code, 1, run.stdout);
		const error = run.last.error as { code: string; details?: string[] };
		assert.ok(error, run.stdout + run.stderr);
		assert.match(error.code, /APP_CRASHED|HEALTHCHECK_FAILED/);
		assert.ok(error.details?.some((line) => line.includes("boom")), JSON.stringify(error));
		assert.equal((await httpGet(httpPort, host)).body, "Hello again\n");
		const ls = JSON.parse((await runCli(["ls", "--json"], { cwd: app, env: env() })).stdout) as { status: string }[];
		assert.equal(ls[0]?.status, "failed");
	});

	test("the crash hint says where the app's output is, and it is there (issue 14, item 12)", async () => {
		// deploy.yaml still runs the crashing command of the test before; this time read as a person does, without --json.
		const run = await runCli([], { cwd: app, env: env() });
		assert.equal(run.code, 1, run.stderr);
		assert.match(run.stderr, /exited with code 1 before it became healthy/);
		const lines = run.stderr.split("\n");
		const output = lines.findIndex((line) => line.includes("│") && line.includes("boom"));
		const hint = lines.findIndex((line) => line.startsWith("hint"));
		assert.ok(output >= 0 && hint >= 0, run.stderr);
		// Where the hint sends the reader, the app's line must be: it was "below" while printed above.
		if (/below/.test(lines[hint]!)) assert.ok(output > hint, run.stderr);
		if (/above/.test(lines[hint]!)) assert.ok(output < hint, run.stderr);
		assert.match(lines[hint]!, /deploy logs/);
		assert.equal((await httpGet(httpPort, host)).body, "Hello again\n");
	});

	test("a bare word naming a folder that exists here deploys that folder (issue 14, item 6)", async () => {
		await writeFile(join(app, "deploy.yaml"), "app: hello\n");
		const run = await runCli([basename(app), "--json"], { cwd: dirname(app), env: env() });
		assert.equal(run.code, 0, run.stderr + run.stdout);
		assert.equal(run.last.status, "live");
		assert.equal(run.last.app, "hello");
		assert.equal((await httpGet(httpPort, host)).body, "Hello again\n");
	});

	test("a changed host key is refused with a clear error, and nothing changes", async () => {
		const pinned = sshd.hostKeyFingerprint;
		await rm(join(app, "deploy.yaml"));
		await sshd.replaceHostKey();
		const run = await runCli([], { cwd: app, env: env() });
		assert.equal(run.code, 1);
		assert.match(run.stderr, /host key/i);
		assert.match(run.stderr, /changed/i);
		const servers = JSON.parse((await runCli(["servers", "ls", "--json"], { env: env() })).stdout) as { hostKeyFingerprint: string }[];
		assert.equal(servers[0]?.hostKeyFingerprint, pinned);
		assert.equal((await httpGet(httpPort, host)).body, "Hello again\n");
	});
});
