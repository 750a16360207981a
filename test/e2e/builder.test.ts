// Issue 4 through the built CLI, against a real sshd, the agent and Caddy: `deploy
// init` writes the agent's detection down, a redeploy that changes nothing restarts
// nothing, `deploy cache clear` makes the next deploy build again, and `deploy cancel`
// stops a slow build while the live release keeps answering.
import assert from "node:assert/strict";
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, test } from "vitest";
import { parse } from "yaml";
import { repoRoot, runCli } from "../helpers/cli.js";
import { httpGet } from "../helpers/net.js";
import { startCli } from "./background-cli.js";
import { startTestServer, type TestServer } from "./server.js";

const host = "versioned.127.0.0.1.sslip.io";

interface Result {
	id: string;
	status: string;
	unchanged?: boolean;
	framework?: string;
	cache?: { install: string; build: string };
}

describe("deploy init on an Express app", () => {
	let dir: string;
	beforeAll(async () => {
		dir = await mkdtemp(join(tmpdir(), "deploy-e2e-init-"));
		await cp(join(repoRoot, "examples", "express"), dir, { recursive: true });
	});
	afterAll(() => rm(dir, { recursive: true, force: true }));

	test("shows what the agent detects and writes it into deploy.yaml; a second init refuses to overwrite", async () => {
		const run = await runCli(["init"], { cwd: dir });
		assert.equal(run.code, 0, run.stderr);
		assert.match(run.stdout, /framework: express/);
		assert.match(run.stdout, /packageManager: npm/);
		assert.match(run.stdout, /install: npm ci/);
		const written = parse(await readFile(join(dir, "deploy.yaml"), "utf8")) as Record<string, unknown>;
		assert.deepEqual(written, { app: "express-example", framework: "express", packageManager: "npm", install: "npm ci", processes: { web: { command: "node server.js" } } });

		const again = await runCli(["init", "--json"], { cwd: dir });
		assert.equal(again.code, 2);
		assert.equal((again.last.error as { code: string }).code, "CONFIG_EXISTS");
		const forced = await runCli(["init", "--force", "--json"], { cwd: dir });
		assert.equal(forced.code, 0, forced.stderr);
		assert.equal((forced.last.detection as { framework: string }).framework, "express");
	});
});

describe("caches, unchanged redeploys and cancel, through the CLI", () => {
	let server: TestServer;
	let scratch: string;
	const answer = async () => (await httpGet(server.httpPort, host)).body.trim();
	const setVersion = (version: string) => writeFile(join(server.appDir, "VERSION"), `${version}\n`);
	const deploy = async (cwd = server.appDir) => {
		const run = await server.cli(["--json"], cwd);
		assert.equal(run.code, 0, run.stderr + run.stdout);
		return run.last as unknown as Result;
	};
	const pids = async () => {
		const ps = await server.cli(["ps", "--json"]);
		assert.equal(ps.code, 0, ps.stderr);
		return (JSON.parse(ps.stdout) as { pid: number | null; status: string }[])
			.filter((i) => i.status === "running")
			.map((i) => i.pid)
			.sort();
	};

	beforeAll(async () => {
		server = await startTestServer("versioned");
		scratch = await mkdtemp(join(tmpdir(), "deploy-e2e-builder-"));
		// A build step, so there is a build output to cache.
		await writeFile(join(server.appDir, "deploy.yaml"), `${await readFile(join(server.appDir, "deploy.yaml"), "utf8")}build: echo built\n`);
		const first = await deploy();
		assert.equal(first.status, "live");
		assert.equal(await answer(), "v1");
	});

	afterAll(async () => {
		await server?.stop();
		await rm(scratch, { recursive: true, force: true });
	});

	test("a redeploy with nothing changed answers the live deployment at once: same id, same processes", async () => {
		const live = (JSON.parse((await server.cli(["ls", "--json"])).stdout) as Result[])[0]!;
		const before = await pids();
		const again = await deploy();
		assert.equal(again.unchanged, true, JSON.stringify(again));
		assert.equal(again.id, live.id);
		assert.deepEqual(await pids(), before, "nothing was restarted");
		const human = await server.cli([]);
		assert.equal(human.code, 0, human.stderr);
		assert.match(human.stderr, /already live: nothing changed/);
		assert.deepEqual(await pids(), before);
		assert.equal(await answer(), "v1");
	});

	test("a source seen before is restored from the build cache; after deploy cache clear it is built again", async () => {
		await setVersion("v2");
		assert.equal((await deploy()).cache?.build, "miss");
		await setVersion("v1");
		const restored = await deploy();
		assert.equal(restored.cache?.build, "hit", JSON.stringify(restored));
		assert.equal(await answer(), "v1");

		const cleared = await server.cli(["cache", "clear", "--json"]);
		assert.equal(cleared.code, 0, cleared.stderr + cleared.stdout);
		assert.equal(cleared.last.app, "versioned");
		assert.ok((cleared.last.entries as number) >= 2, JSON.stringify(cleared.last));
		const human = await server.cli(["cache", "clear"]);
		assert.equal(human.code, 0, human.stderr);
		assert.match(human.stdout, /^0 entries, /);

		await setVersion("v2");
		const rebuilt = await deploy();
		assert.equal(rebuilt.cache?.build, "miss", "the cached build of v2 is gone");
		assert.equal(await answer(), "v2");
	});

	test("deploy cancel stops a slow build; the live release keeps answering", async () => {
		const nothing = await server.cli(["cancel", "--json"]);
		assert.equal(nothing.code, 0, nothing.stderr + nothing.stdout);
		assert.equal(nothing.last.cancelled, null);
		assert.equal((await server.cli(["cancel", "not-an-id"])).code, 2);
		const missing = await server.cli(["cancel", "d000000000", "--json"]);
		assert.equal(missing.code, 1, missing.stdout);
		assert.equal((missing.last.error as { code: string }).code, "NOT_RUNNING");

		// The build waits for a gate the test never opens before cancelling: no timing involved.
		const slow = join(scratch, "slow");
		const gate = join(scratch, "gate");
		await cp(server.appDir, slow, { recursive: true });
		await writeFile(join(slow, "VERSION"), "v3\n");
		const build = `i=0; while [ ! -e ${gate} ] && [ $i -lt 1200 ]; do sleep 0.05; i=$((i+1)); done`;
		await writeFile(join(slow, "deploy.yaml"), (await readFile(join(slow, "deploy.yaml"), "utf8")).replace("build: echo built", `build: ${JSON.stringify(build)}`));
		const running = startCli(["--json"], { cwd: slow, env: server.env });
		try {
			await running.waitFor(/"step":"build","status":"started"/);
			const cancel = await server.cli(["cancel", "--json"]);
			assert.equal(cancel.code, 0, cancel.stderr + cancel.stdout);
			assert.match(String(cancel.last.cancelled), /^d[0-9a-z]+$/);
			const ended = await running.done;
			assert.equal(ended.code, 1, ended.stdout);
			assert.equal((ended.last.error as { code: string }).code, "CANCELLED");
			assert.equal(await answer(), "v2");
			const [newest] = JSON.parse((await server.cli(["ls", "--json"])).stdout) as Result[];
			assert.equal(newest?.id, cancel.last.cancelled);
			assert.notEqual(newest?.status, "live");
		} finally {
			await writeFile(gate, "");
			await running.done;
		}
		// The next deploy goes through as usual.
		await setVersion("v4");
		await deploy();
		assert.equal(await answer(), "v4");
	});
});
