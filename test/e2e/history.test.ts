// Issue 14, items 11 and 10, as a new user met them: a git project deployed once
// committed and once with an uncommitted change; `deploy ls` must tell the two apart
// (commit, `+dirty`, branch, message, how long each took), `deploy logs --build` must
// print an older deployment's build output, and an app that colours its request log the
// way morgan's `dev` format does must not put raw escapes into `deploy logs | ...`.
// The built CLI, a real sshd, the real agent and Caddy, real git.
import assert from "node:assert/strict";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, test } from "vitest";
import { execa } from "execa";
import type { DeploymentRecord } from "../../core/protocol/index.js";
import { httpGet } from "../helpers/net.js";
import { startTestServer, type TestServer } from "./server.js";

const host = "hello.127.0.0.1.sslip.io";
// What morgan's `dev` format writes for a 200 (green status, grey timing): the codes as
// morgan's source has them. The app prints them itself: no npm install is needed for that.
const MORGAN_DEV = String.raw`"\x1b[0m" + req.method + " " + req.url + " \x1b[32m200\x1b[0m 0.412 ms - 27\x1b[0m"`;
/** A duration as `deploy ls` writes it (pretty-ms): 850ms, 12.3s, 42s, 4m 5s. */
const TOOK = String.raw`(?:\d+ms|\d+(?:\.\d)?s|\d+m(?: \d+s)?)`;
// biome-ignore lint/suspicious/noControlCharactersInRegex: looking for escapes is the point
const ESCAPE = /[\x1b\x9b]|\[\d+m/;

describe("deploy ls and deploy logs --build tell deployments apart", () => {
	let server: TestServer;
	let sha: string;
	let first: DeploymentRecord;
	let second: DeploymentRecord;
	const git = (...args: string[]) => execa("git", ["-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false", ...args], { cwd: server.appDir });
	const list = async () => {
		const run = await server.cli(["ls", "--json"]);
		assert.equal(run.code, 0, run.stderr);
		return JSON.parse(run.stdout) as DeploymentRecord[];
	};
	const deploy = async () => {
		const run = await server.cli(["--json"]);
		assert.equal(run.code, 0, run.stderr + run.stdout);
		return run.last as unknown as DeploymentRecord;
	};

	beforeAll(async () => {
		server = await startTestServer("hello");
		const { appDir } = server;
		// The build prints its version in colour, as build tools do on a terminal.
		await writeFile(join(appDir, "build.cjs"), `console.log("\\x1b[32mbuilt " + require("fs").readFileSync("version.txt", "utf8").trim() + "\\x1b[39m");\n`);
		await writeFile(join(appDir, "version.txt"), "v1\n");
		await writeFile(join(appDir, "deploy.yaml"), 'app: hello\nbuild: "node build.cjs"\n');
		// The app logs each request the way morgan's dev format does.
		const app = await readFile(join(appDir, "server.js"), "utf8");
		await writeFile(join(appDir, "server.js"), app.replace(/console\.log\(`\$\{request\.method\} \$\{request\.url\}`\);/, `{ const req = request; console.log(${MORGAN_DEV}); }`));
		await git("init", "-q", "-b", "main");
		await git("add", ".");
		await git("commit", "-q", "-m", "Say hello in green\n\nThe body of the message stays out of listings.");
		sha = (await git("rev-parse", "HEAD")).stdout.trim();
		first = await deploy();
		// An uncommitted change: what a person deploys to try something.
		await writeFile(join(appDir, "version.txt"), "v2\n");
		second = await deploy();
	});

	afterAll(async () => {
		await server?.stop();
	});

	test("deploy ls marks the uncommitted deployment <sha>+dirty and shows branch, message and duration", async () => {
		const run = await server.cli(["ls"]);
		assert.equal(run.code, 0, run.stderr);
		const [header, newest, older] = run.stdout.trimEnd().split("\n");
		assert.match(header ?? "", /^ID\s+APP\s+STATUS\s+SOURCE\s+COMMIT\s+BRANCH\s+TOOK\s+AGE\s+MESSAGE\s+URL \/ REASON$/);
		const short = sha.slice(0, 7);
		assert.match(newest ?? "", new RegExp(`^${second.id}\\s+hello\\s+live\\s+upload\\s+${short}\\+dirty\\s+main\\s+${TOOK}\\s+\\d+s ago\\s+Say hello in green\\s+http://`));
		assert.match(older ?? "", new RegExp(`^${first.id}\\s+hello\\s+superseded\\s+upload\\s+${short}\\s+main\\s+${TOOK}\\s+`));
		assert.doesNotMatch(run.stdout, /stays out of listings/);

		const [json] = await list();
		assert.equal(json?.commit, `${sha}-dirty`);
		assert.equal(json?.dirty, true);
		assert.equal(json?.branch, "main");
		assert.equal(json?.message, "Say hello in green");
		assert.ok(json?.finishedAt && Date.parse(json.finishedAt) >= Date.parse(json.createdAt));
	});

	test("deploy logs --build <id> prints an older deployment's build output, without its colour codes when piped", async () => {
		const older = await server.cli(["logs", "--build", first.id]);
		assert.equal(older.code, 0, older.stderr);
		assert.match(older.stdout, /^built v1$/m);
		assert.doesNotMatch(older.stdout, /built v2/);
		assert.doesNotMatch(older.stdout, ESCAPE);
		// Without an id: the newest deployment's.
		const newest = await server.cli(["logs", "--build"]);
		assert.equal(newest.code, 0, newest.stderr);
		assert.match(newest.stdout, /^built v2$/m);
		// --json keeps the line as the build printed it, and names the deployment last.
		const json = await server.cli(["logs", "--build", first.id, "--json"]);
		assert.equal(json.code, 0, json.stderr);
		assert.ok(json.lines.some((line) => line.type === "log" && line.line === "\x1b[32mbuilt v1\x1b[39m"), json.stdout);
		assert.deepEqual({ id: json.last.id, app: json.last.app }, { id: first.id, app: "hello" });
	});

	test("deploy logs --build with a bad or unknown id says what to do and changes nothing", async () => {
		const bad = await server.cli(["logs", "--build", "not-an-id"]);
		assert.equal(bad.code, 2, bad.stderr);
		assert.match(bad.stderr, /id: is not a deployment id/);
		assert.match(bad.stderr, /hint.*deploy ls/);
		const unknown = await server.cli(["logs", "--build", "d0000000000"]);
		assert.equal(unknown.code, 1, unknown.stderr);
		assert.match(unknown.stderr, /hello has no deployment d0000000000/);
		// Issue 18: --follow goes with --build (a running deployment's log until it ends); a filter of app logs does not.
		const mixed = await server.cli(["logs", "--build", first.id, "--grep", "error"]);
		assert.equal(mixed.code, 2);
		assert.match(mixed.stderr, /cannot be used with/);
		assert.deepEqual(
			(await list()).map((r) => [r.id, r.status]),
			[
				[second.id, "live"],
				[first.id, "superseded"],
			],
		);
	});

	test("a record made before issue 14 still lists, its -dirty commit shown as +dirty", async () => {
		const dir = join(server.sshd.agentHome, "apps", "hello", "deployments");
		const old = { id: "d0000000001", app: "hello", status: "superseded", commit: "0123456789abcdef0123456789abcdef01234567-dirty", url: null, createdAt: "2026-01-01T00:00:00.000Z", finishedAt: "2026-01-01T00:00:42.000Z", error: null };
		await mkdir(dir, { recursive: true });
		await writeFile(join(dir, `${old.id}.json`), JSON.stringify(old));
		const run = await server.cli(["ls"]);
		assert.equal(run.code, 0, run.stderr);
		assert.match(run.stdout, /^d0000000001\s+hello\s+superseded\s+upload\s+0123456\+dirty\s+-\s+42s\s+\d+d ago\s+-\s/m);
	});

	test("a rollback to an older deployment keeps how long that deployment took", async () => {
		const rollback = await server.cli(["rollback", first.id, "--json"]);
		assert.equal(rollback.code, 0, rollback.stderr);
		const rolled = (await list()).find((r) => r.id === first.id);
		assert.equal(rolled?.status, "live");
		assert.equal(rolled?.finishedAt, first.finishedAt);
		// When it went live this time is a field of its own.
		assert.ok(rolled?.liveAt && second.finishedAt && Date.parse(rolled.liveAt) >= Date.parse(second.finishedAt), JSON.stringify(rolled));
	});

	test("morgan-style colours in the app's log: deploy logs piped shows the words and no escape", async () => {
		assert.equal((await httpGet(server.httpPort, host, "/coloured")).status, 200);
		const json = await server.cli(["logs", "--json", "--grep", "/coloured"]);
		assert.ok(json.lines.some((line) => String(line.line).includes("\x1b[32m200")), "the app really printed colours");
		const piped = await server.cli(["logs", "--grep", "/coloured"]);
		assert.equal(piped.code, 0, piped.stderr);
		assert.match(piped.stdout, /web:\d+ GET \/coloured 200 0\.412 ms - 27$/m);
		assert.doesNotMatch(piped.stdout, ESCAPE);
	});
});
