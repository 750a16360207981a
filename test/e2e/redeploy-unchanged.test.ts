// Issue 14, item 1: a redeploy of a git project that changed nothing is answered from
// what the client and the agent remember (the stat cache, the manifest base, the live
// release's manifest) without re-checking every file; what changes must still be
// seen. The built CLI, a real sshd on 127.0.0.1, the real agent, Caddy, real git.
import assert from "node:assert/strict";
import { cp, mkdtemp, readdir, readFile, rm, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, test } from "vitest";
import { type Sshd, startSshd } from "../fixtures/sshd.js";
import { repoRoot, runCli } from "../helpers/cli.js";
import { freePort, httpGet } from "../helpers/net.js";
import { gitIn as git } from "../helpers/git.js";

interface Result {
	id: string;
	commit: string | null;
	unchanged?: boolean;
	upload: { files: number; objectsSent: number; bytesSent: number };
}

describe("redeploying a git project that changed nothing, then one that did", () => {
	let sshd: Sshd;
	let home: string;
	let app: string;
	let httpPort: number;
	const host = "hello.127.0.0.1.sslip.io";
	const deploy = async () => {
		const run = await runCli(["--json"], { cwd: app, env: { DEPLOY_HOME: home } });
		assert.equal(run.code, 0, run.stderr + run.stdout);
		return run.last as unknown as Result;
	};
	const headOf = async () => (await git(app, "rev-parse", "HEAD")).stdout.trim();
	/** Waits out the stat cache's 2 s "racily clean" window, as a user's next deploy a while later would. */
	const later = () => new Promise((resolve) => setTimeout(resolve, 2_100));
	let first: Result;

	beforeAll(async () => {
		home = await mkdtemp(join(tmpdir(), "deploy-e2e-unchanged-home-"));
		app = await mkdtemp(join(tmpdir(), "deploy-e2e-unchanged-app-"));
		await cp(join(repoRoot, "examples/hello"), app, { recursive: true });
		for (let i = 0; i < 20; i++) await writeFile(join(app, `page-${i}.md`), `# Page ${i}\n`);
		await git(app, "init", "-q", "-b", "main");
		await git(app, "add", "-A");
		await git(app, "commit", "-q", "-m", "first");
		sshd = await startSshd();
		httpPort = await freePort();
		const add = await runCli(
			["servers", "add", "prod", `${sshd.user}@127.0.0.1`, "--port", String(sshd.port), "--identity", sshd.identityFile, "--proxy", "caddy", "--http-port", String(httpPort), "--https-port", String(await freePort()), "--accept-new-host-key", "--json"],
			{ env: { DEPLOY_HOME: home } },
		);
		assert.equal(add.code, 0, add.stderr + add.stdout);
		first = await deploy();
	});

	afterAll(async () => {
		await sshd?.stop();
		await rm(home, { recursive: true, force: true });
		await rm(app, { recursive: true, force: true });
	});

	test("nothing changed: the live deployment answers, unchanged, clean, nothing sent", async () => {
		await later();
		for (let i = 0; i < 2; i++) {
			const again = await deploy();
			assert.equal(again.unchanged, true, JSON.stringify(again));
			assert.equal(again.id, first.id);
			assert.equal(again.commit, await headOf());
			assert.equal(again.upload.objectsSent, 0);
		}
	});

	test("the agent answers a no-change redeploy of the live release from hashes alone: its kept manifest (megabytes for a large tree) is not read", async () => {
		const baseline = await deploy();
		const kept = join(sshd.agentHome, "apps", "hello", "releases", `${first.id}.manifest.json`);
		const text = await readFile(kept, "utf8");
		// Unreadable as a manifest: an agent that parsed it would ask the client for the whole manifest (MANIFEST_BASE_UNKNOWN).
		await writeFile(kept, "not a manifest");
		try {
			const again = await deploy();
			assert.equal(again.unchanged, true, JSON.stringify(again));
			assert.equal(again.id, first.id);
			assert.equal(again.upload.bytesSent, baseline.upload.bytesSent, "the empty diff alone travelled, not the whole manifest");
		} finally {
			await writeFile(kept, text);
		}
	});

	test("after an upgrade from a client that kept the manifest inside its record of the last deploy: still unchanged", async () => {
		const dir = join(home, "manifests");
		const header = (await readdir(dir)).find((name) => /^[0-9a-f]{32}\.json$/.test(name))!;
		const { id, specHash } = JSON.parse(await readFile(join(dir, header), "utf8"));
		const manifestFile = join(dir, header.replace(".json", ".manifest.json"));
		const manifest = JSON.parse(await readFile(manifestFile, "utf8"));
		await writeFile(join(dir, header), JSON.stringify({ id, manifest, specHash }));
		await unlink(manifestFile);
		const again = await deploy();
		assert.equal(again.unchanged, true, JSON.stringify(again));
		assert.equal(again.upload.objectsSent, 0);
		assert.deepEqual(JSON.parse(await readFile(manifestFile, "utf8")), manifest, "the manifest kept beside the record again");
	});

	test("a file edited to the same size is seen: a new release serves it, the commit is -dirty, one file sent", async () => {
		await later();
		const server = join(app, "server.js");
		await writeFile(server, (await readFile(server, "utf8")).replace("Hello from Deploy Platform", "Hello from DEPLOY PLATFORM"));
		const edited = await deploy();
		assert.notEqual(edited.unchanged, true);
		assert.notEqual(edited.id, first.id);
		assert.equal(edited.commit, `${await headOf()}-dirty`);
		assert.equal(edited.upload.objectsSent, 1);
		assert.equal((await httpGet(httpPort, host)).body, "Hello from DEPLOY PLATFORM\n");
	});

	test("a deleted file goes from the release", async () => {
		await later();
		const before = await deploy();
		await unlink(join(app, "page-3.md"));
		const after = await deploy();
		assert.notEqual(after.unchanged, true);
		assert.equal(after.upload.files, before.upload.files - 1);
	});
});
