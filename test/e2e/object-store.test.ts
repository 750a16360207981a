// The server's store of uploaded files (issue 13, items 11 and 14), through the
// built CLI, a real sshd, the agent and Caddy: deploys past releases.keep remove the
// files only pruned releases used, and keep the rest (rollback and redeploys still
// work); an upload still in flight on another connection keeps its files through a
// collection; `deploy doctor` and `deploy cache clear` show and free what is unused;
// a tree over the server's file limit is refused before anything is uploaded.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync, readdirSync } from "node:fs";
import { appendFile, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, test } from "vitest";
import { httpGet } from "../helpers/net.js";
import { connectBridge, isRunning, putParams } from "../helpers/agent-harness.js";
import { startTestServer, type TestServer } from "./server.js";

const host = "versioned.127.0.0.1.sslip.io";
const FILE_LIMIT = 30;

const blobId = (text: string) => createHash("sha1").update(`blob ${Buffer.byteLength(text)}\0${text}`).digest("hex");

interface Check {
	name: string;
	status: string;
	message: string;
}

describe("the store of uploaded files, through the CLI", () => {
	let server: TestServer;
	let agentHome: string;

	const stored = (text: string) => existsSync(join(agentHome, "objects", blobId(text).slice(0, 2), blobId(text).slice(2)));
	const storedCount = () => readdirSync(join(agentHome, "objects")).reduce((n, prefix) => n + readdirSync(join(agentHome, "objects", prefix)).length, 0);
	const answer = async () => (await httpGet(server.httpPort, host)).body.trim();
	const history = async () => JSON.parse((await server.cli(["ls", "--json"])).stdout) as { id: string; status: string }[];
	/** Until the previous release's instances have drained: a release whose instances still run is never pruned. */
	const drained = async () => {
		for (let i = 0; i < 100; i++) {
			const ps = await server.cli(["ps", "--json"]);
			if ((JSON.parse(ps.stdout) as { status: string }[]).every((row) => row.status === "running")) return;
			await new Promise((r) => setTimeout(r, 200));
		}
		assert.fail("the old instances did not drain");
	};
	const deployVersion = async (version: string) => {
		await writeFile(join(server.appDir, "VERSION"), `${version}\n`);
		const run = await server.cli(["--json"]);
		assert.equal(run.code, 0, run.stderr + run.stdout);
		assert.equal(await answer(), version);
		await drained();
		return run;
	};
	const objectsLine = async () => {
		const run = await server.cli(["doctor", "--json"]);
		assert.equal(run.code, 0, run.stderr + run.stdout);
		return (JSON.parse(run.stdout) as { checks: Check[] }).checks.find((c) => c.name === "objects")!;
	};
	const cacheClear = async () => {
		const run = await server.cli(["cache", "clear", "--json"]);
		assert.equal(run.code, 0, run.stderr + run.stdout);
		return run.last as { objects: { objects: number; bytes: number } };
	};

	beforeAll(async () => {
		server = await startTestServer("versioned");
		agentHome = server.sshd.agentHome;
		// The agent again, with its knobs: no grace period (what a collection may remove, it removes at once, so only the
		// leases protect an upload) and a small file limit. The CLI's sessions then find this daemon serving.
		const agentPath = join(agentHome, "bin", "agent.mjs");
		const pid = Number(await readFile(join(agentHome, "agent.pid"), "utf8"));
		const first = connectBridge(agentPath, agentHome);
		await first.rpc.call("shutdown", {});
		await first.close();
		while (isRunning(pid)) await new Promise((r) => setTimeout(r, 50));
		const tuned = connectBridge(agentPath, agentHome, { DEPLOY_AGENT_OBJECT_GRACE_SECONDS: "0", DEPLOY_AGENT_MAX_FILES: String(FILE_LIMIT) });
		await tuned.rpc.call("hello", { client: "test" });
		await tuned.close();
		await appendFile(join(server.appDir, "deploy.yaml"), "releases:\n  keep: 2\n");
	});

	afterAll(async () => {
		await server?.stop();
	});

	test("deploys past releases.keep remove the files only pruned releases used; the kept releases' files stay; rollback and a redeploy work", async () => {
		await deployVersion("v1");
		assert.ok(stored("v1\n"));
		await deployVersion("v2");
		const third = await deployVersion("v3");
		assert.ok(
			third.lines.some((l) => l.type === "log" && /removed 1 uploaded file \(3 B\) that no kept release uses/.test(String(l.line))),
			"the deploy says what it removed",
		);
		await deployVersion("v4");
		// keep: 2 -> v3 and v4 are kept. v4's own VERSION was collected while its manifest was not yet written: its lease kept it.
		assert.deepEqual(["v1\n", "v2\n", "v3\n", "v4\n"].map(stored), [false, false, true, true]);
		for (const file of ["server.js", "package.json", "deploy.yaml"]) assert.ok(stored(await readFile(join(server.appDir, file), "utf8")), `${file} is used by every kept release`);

		const back = await server.cli(["rollback", "--json"]);
		assert.equal(back.code, 0, back.stderr + back.stdout);
		assert.equal(await answer(), "v3");
		// A redeploy names the client's last release (v4) as its base: every file it does not send must still be there.
		const again = await server.cli(["--json"]);
		assert.equal(again.code, 0, again.stderr + again.stdout);
		assert.equal(await answer(), "v4");
		const upload = again.lines.find((l) => l.type === "step" && l.step === "upload" && l.status === "done");
		assert.match(String(upload?.message), /^0 changed files|^0 of \d+ objects sent/, "nothing had to travel again");
	});

	test("an upload in flight on another connection keeps its files through a collection and deploys them; an abandoned one's files go", async () => {
		const bridge = connectBridge(join(agentHome, "bin", "agent.mjs"), agentHome);
		try {
			const inFlight = "uploaded, not yet deployed\n";
			const { missing } = await bridge.rpc.call("objects.missing", { ids: [blobId(inFlight)], files: 1 });
			assert.deepEqual(missing, [blobId(inFlight)]);
			await bridge.rpc.call("objects.put", putParams([Buffer.from(inFlight)]));

			// A collection while the upload waits for its deploy: no kept release names the file, yet it stays.
			const cleared = await cacheClear();
			assert.equal(cleared.objects.objects, 0, JSON.stringify(cleared));
			assert.ok(stored(inFlight));
			const line = await objectsLine();
			assert.equal(line.status, "ok");
			assert.match(line.message, /^\d+ uploaded files stored \([\d.]+ [KM]iB\); 0 of them \(0 B\) used by no kept release$/);

			// The upload's deploy: the live release's spec and manifest, plus the file.
			const live = (await history()).find((r) => r.status === "live")!;
			const releases = join(agentHome, "apps", "versioned", "releases");
			const spec = JSON.parse(await readFile(join(releases, `${live.id}.release.json`), "utf8")).spec;
			const manifest = JSON.parse(await readFile(join(releases, `${live.id}.manifest.json`), "utf8"));
			const record = await bridge.rpc.call("deploy", { app: spec, manifest: [...manifest, { path: "in-flight.txt", mode: "100644", id: blobId(inFlight) }], commit: null });
			assert.equal(record.status, "live");
			assert.equal(await readFile(join(releases, record.id, "in-flight.txt"), "utf8"), inFlight);

			const abandoned = "uploaded, never deployed\n";
			await bridge.rpc.call("objects.put", putParams([Buffer.from(abandoned)]));
			assert.ok(stored(abandoned));
		} finally {
			await bridge.close();
		}
		// The connection closed without a deploy naming it: the abandoned file is nobody's now.
		const line = await eventuallyUnused();
		assert.match(line.message, /; 1 of them \(\d+ B\) used by no kept release$/);
		const cleared = await cacheClear();
		assert.deepEqual(cleared.objects, { objects: 1, bytes: "uploaded, never deployed\n".length });
		assert.equal(stored("uploaded, never deployed\n"), false);
		assert.ok(stored("uploaded, not yet deployed\n"), "the deployed one is named by the live release");
		const human = await server.cli(["cache", "clear"]);
		assert.equal(human.code, 0, human.stderr);
		assert.match(human.stdout, /^0 uploaded files no kept release uses removed, 0 B freed$/m);
	});

	/** The daemon sees the connection close a moment after the bridge exits. */
	async function eventuallyUnused(): Promise<Check> {
		for (let i = 0; ; i++) {
			const line = await objectsLine();
			if (!/; 0 of them/.test(line.message) || i >= 20) return line;
			await new Promise((r) => setTimeout(r, 250));
		}
	}

	test(`a tree over the server's file limit (${FILE_LIMIT}) is refused before anything is uploaded, naming the count, the limit and where the files are; nothing changes`, async () => {
		const before = await history();
		const objectsBefore = storedCount();
		await mkdir(join(server.appDir, "data"));
		for (let i = 0; i < 40; i++) await writeFile(join(server.appDir, "data", `row-${i}.json`), `{"row":${i}}\n`);
		const files = readdirSync(server.appDir).length - 1 + 40;

		const check = async (how: string) => {
			const run = await server.cli(["--json"]);
			assert.equal(run.code, 1, `${how}: ${run.stdout}${run.stderr}`);
			const error = (run.last as { error: { code: string; message: string; hint: string } }).error;
			assert.equal(error.code, "TOO_MANY_FILES", how);
			assert.equal(error.message, `This deploy has ${files} files; the server accepts at most ${FILE_LIMIT} (DEPLOY_AGENT_MAX_FILES). Nothing was uploaded or changed.`);
			assert.match(error.hint, /^Most of them are in data\/ \(40\)\. List what the app does not need at run time in \.deployignore \(gitignore syntax\), or raise DEPLOY_AGENT_MAX_FILES/);
			assert.equal(run.lines.some((l) => l.type === "progress" && l.step === "upload"), false, `${how}: no upload started`);
			assert.equal(storedCount(), objectsBefore, `${how}: nothing stored`);
			assert.equal(stored('{"row":0}\n'), false);
			assert.deepEqual(await history(), before, `${how}: no deployment recorded`);
			assert.equal(await answer(), "v4");
		};
		// A redeploy: the manifest as a diff against the last one, the small new files inline.
		await check("as a diff");
		// A client with no record of the last deploy sends the whole manifest: the file count goes with its first question.
		await rm(join(server.env.DEPLOY_HOME ?? assert.fail("no DEPLOY_HOME"), "manifests"), { recursive: true, force: true });
		await check("in full");

		const human = await server.cli([]);
		assert.equal(human.code, 1);
		assert.match(human.stderr, new RegExp(`This deploy has ${files} files; the server accepts at most ${FILE_LIMIT}`));
		assert.match(human.stderr, /data\/ \(40\).*\.deployignore/s);

		// What the hint says works.
		await writeFile(join(server.appDir, ".deployignore"), "data/\n");
		const fixed = await server.cli(["--json"]);
		assert.equal(fixed.code, 0, fixed.stderr + fixed.stdout);
		assert.equal(await answer(), "v4");
	});
});
