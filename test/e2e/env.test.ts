// `deploy env` end to end: the built CLI, a real sshd, the real agent, a real Caddy.
// A secret set with `env set` reaches the app through a new release of the same
// build, and is in the clear in no file on either side, nor in any output not asked for.
import assert from "node:assert/strict";
import { readdir, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, test } from "vitest";
import { runCli } from "../helpers/cli.js";
import { httpGet } from "../helpers/net.js";
import { startCliInPty } from "../helpers/pty-cli.js";
import { startTestServer, type TestServer } from "./server.js";

const SECRET = "hi-s3cr3t-7f3a91";
const host = "hello.127.0.0.1.sslip.io";

/** Every file under `dir` whose bytes contain `needle`. */
async function filesContaining(dir: string, needle: string): Promise<string[]> {
	const found: string[] = [];
	for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
		if (!entry.isFile()) continue;
		const path = join(entry.parentPath, entry.name);
		const bytes = await readFile(path).catch(() => null);
		if (bytes?.includes(needle)) found.push(path);
	}
	return found;
}

describe("deploy env against a real server", () => {
	let server: TestServer;
	let first: string;
	const greeting = async () => (await httpGet(server.httpPort, host)).body.trim();
	const piped = (args: string[], input: string) => runCli(args, { cwd: server.appDir, env: server.env, input });
	const revealed = async () => Object.fromEntries(((await server.cli(["env", "ls", "--reveal", "--json"])).last.vars as { key: string; value: string }[]).map((v) => [v.key, v.value]));
	// The live release's instances: the previous release's stay in `ps` as `draining` for a moment after a switch.
	const pids = async () =>
		((await server.cli(["ps", "--json"])).last as unknown as { pid: number; status: string }[])
			.filter((i) => i.status === "running")
			.map((i) => i.pid)
			.sort();

	beforeAll(async () => {
		server = await startTestServer("hello");
		// The example, answering with the two variables the test sets.
		const app = [
			'import { createServer } from "node:http";',
			"const port = Number(process.env.PORT);",
			'createServer((request, response) => response.end("GREETING=" + (process.env.GREETING ?? "none") + " A=" + (process.env.A ?? "none") + "\\n")).listen(port);',
			"process.on(\"SIGTERM\", () => process.exit(0));",
		];
		await writeFile(join(server.appDir, "server.js"), `${app.join("\n")}\n`);
		const deploy = await server.cli(["--json"]);
		assert.equal(deploy.code, 0, deploy.stderr);
		first = deploy.last.id as string;
	});

	afterAll(async () => {
		await server?.stop();
	});

	test("bad input is refused and changes nothing", async () => {
		const bad = await server.cli(["env", "set", "1BAD=x", "--json"]);
		assert.equal(bad.code, 2, bad.stderr);
		assert.equal((bad.last.error as { code: string }).code, "BAD_ARGUMENT");
		// A key alone reads its value from stdin: none (no stdin), empty, or a bare newline is refused.
		const novalue = await server.cli(["env", "set", "NOVALUE"]);
		assert.equal(novalue.code, 2);
		assert.match(novalue.stderr, /NOVALUE has no value: stdin was empty/);
		for (const input of ["", "\n"]) {
			const empty = await piped(["env", "set", "NOVALUE", "--json"], input);
			assert.equal(empty.code, 2, JSON.stringify(input));
			assert.equal((empty.last.error as { code: string }).code, "BAD_ARGUMENT");
			assert.match((empty.last.error as { hint: string }).hint, /NOVALUE=/);
		}
		const twoFromInput = await piped(["env", "set", "ONE", "TWO"], "x");
		assert.equal(twoFromInput.code, 2);
		assert.match(twoFromInput.stderr, /ONE and TWO have no value: only one variable can read its value from stdin/);
		const list = await server.cli(["env", "ls", "--json"]);
		assert.deepEqual(list.last.vars, []);
		const history = await server.cli(["ls", "--json"]);
		assert.equal((JSON.parse(history.stdout) as unknown[]).length, 1);
		assert.equal(await greeting(), "GREETING=none A=none");
	});

	test("env set makes a new release of the same build, with new pids, and the app sees the value", async () => {
		const before = await pids();
		const run = await server.cli(["env", "set", `GREETING=${SECRET}`, "--json"]);
		assert.equal(run.code, 0, run.stderr + run.stdout);
		const deployment = run.last.deployment as { id: string; status: string; cache: unknown };
		assert.notEqual(deployment.id, first);
		assert.equal(deployment.status, "live");
		assert.deepEqual(deployment.cache, { install: "skipped", build: "skipped" });
		const steps = run.lines.filter((l) => l.type === "step" && (l.step === "install" || l.step === "build"));
		assert.deepEqual(
			steps.map((s) => [s.step, s.status]),
			[
				["install", "skipped"],
				["build", "skipped"],
			],
		);
		assert.deepEqual(run.last.summary, { added: ["GREETING"], changed: [], removed: [], unchanged: [] });
		assert.equal(await greeting(), `GREETING=${SECRET} A=none`);
		const log = await readFile(join(server.sshd.agentHome, "apps", "hello", "deployments", `${deployment.id}.log`), "utf8");
		assert.match(log, new RegExp(`reuses the build of ${first}, nothing installed or built`));
		const after = await pids();
		assert.equal(after.length, before.length);
		assert.ok(after.every((pid) => !before.includes(pid)), `${before} -> ${after}`);
		assert.ok(!run.stdout.includes(SECRET) && !run.stderr.includes(SECRET));
	});

	test("env ls masks, --reveal shows", async () => {
		const masked = await server.cli(["env", "ls", "--json"]);
		assert.equal(masked.code, 0, masked.stderr);
		assert.deepEqual(
			(masked.last.vars as { key: string; value: string }[]).map((v) => [v.key, v.value]),
			[["GREETING", "••••••"]],
		);
		const human = await server.cli(["env", "ls"]);
		assert.match(human.stdout, /GREETING/);
		assert.ok(!human.stdout.includes(SECRET));
		const revealed = await server.cli(["env", "ls", "--reveal", "--json"]);
		assert.equal((revealed.last.vars as { value: string }[])[0]?.value, SECRET);
	});

	test("the value is in the clear in no file of the agent or this machine, nor in ls, logs or events", async () => {
		assert.deepEqual(await filesContaining(server.sshd.agentHome, SECRET), []);
		assert.deepEqual(await filesContaining(server.env.DEPLOY_HOME!, SECRET), []);
		for (const args of [["ls", "--json"], ["logs", "-n", "1000", "--json"], ["ps", "--json"]]) {
			const run = await server.cli(args);
			assert.equal(run.code, 0, run.stderr);
			assert.ok(!run.stdout.includes(SECRET) && !run.stderr.includes(SECRET), args.join(" "));
		}
		for (const path of [join(server.sshd.agentHome, "secrets.key"), join(server.env.DEPLOY_HOME!, "secrets.key")]) {
			assert.equal((await stat(path)).mode & 0o777, 0o600, path);
		}
	});

	test("rollback restores the old env with the old release", async () => {
		const run = await server.cli(["rollback", "--json"]);
		assert.equal(run.code, 0, run.stderr);
		assert.equal(run.last.id, first);
		assert.equal(await greeting(), "GREETING=none A=none");
		const list = await server.cli(["env", "ls", "--json"]);
		assert.deepEqual(list.last.vars, []);
	});

	test("env import sets a whole .env file in one release", async () => {
		const file = join(server.appDir, "import.env");
		await writeFile(file, `# production values\nexport A="two words"\nB='lit#eral' # a comment\nGREETING=${SECRET}\n`);
		const run = await server.cli(["env", "import", "import.env", "--json"]);
		assert.equal(run.code, 0, run.stderr);
		assert.deepEqual(run.last.summary, { added: ["A", "B", "GREETING"], changed: [], removed: [], unchanged: [] });
		assert.equal(await greeting(), `GREETING=${SECRET} A=two words`);
		const broken = join(server.appDir, "broken.env");
		await writeFile(broken, "C=fine\nnot an assignment\n");
		const refused = await server.cli(["env", "import", "broken.env", "--json"]);
		assert.equal(refused.code, 2);
		assert.match(JSON.stringify(refused.last), /line 2: not KEY=VALUE/);
		const list = await server.cli(["env", "ls", "--json"]);
		assert.deepEqual(
			(list.last.vars as { key: string }[]).map((v) => v.key),
			["A", "B", "GREETING"],
		);
	});

	test("env pull merges into a local file, shows keys only, and keeps local-only keys", async () => {
		const file = join(server.appDir, ".env.local");
		await writeFile(file, "# mine\nLOCAL_ONLY=1\nA=old\nB=lit#eral\n");
		const run = await server.cli(["env", "pull", ".env.local"]);
		assert.equal(run.code, 0, run.stderr);
		assert.match(run.stdout, /added: GREETING/);
		assert.match(run.stdout, /changed: A/);
		assert.match(run.stdout, /unchanged: B/);
		assert.match(run.stdout, /kept \(only in the local file\): LOCAL_ONLY/);
		assert.ok(!run.stdout.includes(SECRET));
		assert.equal(await readFile(file, "utf8"), `# mine\nLOCAL_ONLY=1\nA='two words'\nB=lit#eral\nGREETING=${SECRET}\n`);
		assert.equal((await stat(file)).mode & 0o777, 0o600);
	});

	test("env unset removes a variable in a new release", async () => {
		const run = await server.cli(["env", "unset", "A", "--json"]);
		assert.equal(run.code, 0, run.stderr);
		assert.deepEqual(run.last.summary, { added: [], changed: [], removed: ["A"], unchanged: [] });
		assert.equal(await greeting(), `GREETING=${SECRET} A=none`);
	});

	test("env set KEY reads a piped value from stdin: not in the arguments, one final newline dropped", async () => {
		const value = "piped s3cret, with spaces";
		const run = await piped(["env", "set", "A", "--json"], `${value}\n`);
		assert.equal(run.code, 0, run.stderr);
		assert.deepEqual(run.last.summary, { added: ["A"], changed: [], removed: [], unchanged: [] });
		assert.equal(await greeting(), `GREETING=${SECRET} A=${value}`);
		assert.equal((await revealed()).A, value);
		assert.ok(!run.stdout.includes(value) && !run.stderr.includes(value));
	});

	test("env set KEY on a terminal asks without echo; nothing typed is refused and changes nothing", async () => {
		const typed = "typed-s3cret-41c2";
		const ask = startCliInPty(["env", "set", "A"], { cwd: server.appDir, env: server.env });
		await ask.waitFor(/Value of A \(typing is not shown\): /);
		ask.type(`${typed}\r`);
		const run = await ask.exit;
		assert.equal(run.code, 0, run.output);
		assert.ok(!run.output.includes(typed), `the typing was echoed: ${JSON.stringify(run.output)}`);
		assert.match(run.output, /is live with the new env/);
		assert.equal(await greeting(), `GREETING=${SECRET} A=${typed}`);

		const before = await server.cli(["ls", "--json"]);
		const nothing = startCliInPty(["env", "set", "A"], { cwd: server.appDir, env: server.env });
		await nothing.waitFor(/Value of A/);
		nothing.type("\r");
		const refused = await nothing.exit;
		assert.equal(refused.code, 2, refused.output);
		assert.match(refused.output, /A has no value: nothing was typed/);
		assert.equal((await revealed()).A, typed);
		assert.equal((await server.cli(["ls", "--json"])).stdout, before.stdout);
	});
});
