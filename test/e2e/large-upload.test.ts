// Issue 14, item 1: large files and many files, deployed the way a user does (the
// built CLI against a real sshd, the agent and Caddy). A 200 MB file deploys, arrives
// byte for byte, and neither the CLI nor the agent holds it in memory; a file over the
// server's per-file limit is refused by name, with how to leave it out, and changes
// nothing; a tree of 20,000 small files deploys.
import assert from "node:assert/strict";
import { createHash, randomFillSync } from "node:crypto";
import { createReadStream, existsSync, readdirSync } from "node:fs";
import { mkdir, readFile, rm, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, test } from "vitest";
import { connectBridge, isRunning } from "../helpers/agent-harness.js";
import { runCli } from "../helpers/cli.js";
import { startCliInPty } from "../helpers/pty-cli.js";
import { httpGet } from "../helpers/net.js";
import { startTestServer, type TestServer } from "./server.js";
import { writeRandomFile } from "../helpers/random-file.js";

const MB = 1024 * 1024;
const ESC = "\x1b";
const host = "versioned.127.0.0.1.sslip.io";
/** The bound the issue sets for both ends, whatever the file's size. */
const MEMORY_BOUND = 150 * MB;
const recorder = pathToFileURL(join(import.meta.dirname, "..", "helpers", "record-peak-rss.mjs")).href;

async function sha1File(path: string): Promise<string> {
	const hash = createHash("sha1");
	for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
	return hash.digest("hex");
}

/** /proc/<pid>/status's VmHWM: the process's peak resident memory so far. */
async function peakRss(pid: number): Promise<number> {
	const kb = /VmHWM:\s+(\d+) kB/.exec(await readFile(`/proc/${pid}/status`, "utf8"))?.[1];
	return Number(kb) * 1024;
}

describe("large and many files, through the built CLI", () => {
	let server: TestServer;
	let agentHome: string;
	const answer = async () => (await httpGet(server.httpPort, host)).body.trim();
	const daemonPid = async () => Number(await readFile(join(agentHome, "agent.pid"), "utf8"));
	const releaseDir = (id: string) => join(agentHome, "apps", "versioned", "releases", id);
	const storeEntries = () => {
		const objects = join(agentHome, "objects");
		if (!existsSync(objects)) return [];
		return readdirSync(objects).flatMap((prefix) => readdirSync(join(objects, prefix)).map((name) => `${prefix}/${name}`)).sort();
	};
	/** The daemon again with `env`; the CLI's sessions then find it serving. */
	const restartAgent = async (env: Record<string, string>) => {
		const agentPath = join(agentHome, "bin", "agent.mjs");
		const pid = await daemonPid();
		const first = connectBridge(agentPath, agentHome);
		await first.rpc.call("shutdown", {});
		await first.close();
		while (isRunning(pid)) await new Promise((r) => setTimeout(r, 50));
		const tuned = connectBridge(agentPath, agentHome, env);
		await tuned.rpc.call("hello", { client: "test" });
		await tuned.close();
	};

	beforeAll(async () => {
		server = await startTestServer("versioned");
		agentHome = server.sshd.agentHome;
	});

	afterAll(async () => {
		await server?.stop();
	});

	test("a 200 MB file deploys and arrives byte for byte; the CLI and the agent each stay under 150 MB of memory", async () => {
		await mkdir(join(server.appDir, "data"));
		const big = join(server.appDir, "data", "model.bin");
		await writeRandomFile(big, 200);
		const peakFile = join(tmpdir(), `deploy-peak-rss-${process.pid}`);
		await rm(peakFile, { force: true });
		const run = await runCli(["--json"], { cwd: server.appDir, env: { ...server.env, NODE_OPTIONS: `--import=${recorder}`, PEAK_RSS_FILE: peakFile } });
		assert.equal(run.code, 0, run.stderr + run.stdout);
		assert.equal(run.last.status, "live");
		assert.equal(await answer(), "v1");

		const deployed = join(releaseDir(String(run.last.id)), "data", "model.bin");
		assert.equal(await sha1File(deployed), await sha1File(big), "the release holds the same bytes");
		const upload = run.lines.find((l) => l.type === "step" && l.step === "upload" && l.status === "done");
		assert.match(String(upload?.message), /objects sent/);
		const progress = run.lines.filter((l) => l.type === "progress" && l.unit === "bytes");
		assert.ok(progress.length > 0, "the upload reports its progress in bytes");
		assert.equal(progress.at(-1)?.done, progress.at(-1)?.total, "the last progress event says all bytes arrived");

		const cliPeak = Math.max(...(await readFile(peakFile, "utf8")).trim().split("\n").map(Number));
		await rm(peakFile, { force: true });
		assert.ok(cliPeak > 0 && cliPeak < MEMORY_BOUND, `the CLI peaked at ${Math.round(cliPeak / MB)} MB`);
		const agentPeak = await peakRss(await daemonPid());
		assert.ok(agentPeak < MEMORY_BOUND, `the agent peaked at ${Math.round(agentPeak / MB)} MB`);
		console.log(`peak resident memory: CLI ${Math.round(cliPeak / MB)} MB, agent ${Math.round(agentPeak / MB)} MB`);
		assert.deepEqual(
			storeEntries().filter((name) => name.endsWith(".tmp")),
			[],
			"no temp file is left in the store",
		);
	});

	test("a file over the server's per-file limit: FILE_TOO_LARGE names it and says how to leave it out; nothing changes on the server", async () => {
		await restartAgent({ DEPLOY_AGENT_MAX_OBJECT_MB: "64" });
		const huge = join(server.appDir, "data", "video.mp4");
		// Sparse: only its size matters, and it is refused before a byte of it is read for the upload.
		await writeFile(huge, "");
		await truncate(huge, 100 * MB);
		await writeFile(join(server.appDir, "VERSION"), "v2\n");
		const objectsBefore = storeEntries();
		const historyBefore = (await server.cli(["ls", "--json"])).stdout;

		const run = await server.cli(["--json"]);
		assert.equal(run.code, 1, run.stderr + run.stdout);
		const error = run.last.error as { code: string; message: string; hint: string };
		assert.equal(error.code, "FILE_TOO_LARGE");
		assert.match(error.message, /^data\/video\.mp4 is 100 MiB; the server accepts files up to 64 MiB \(DEPLOY_AGENT_MAX_OBJECT_MB\)\. Nothing was uploaded or changed\.$/);
		assert.match(error.hint, /\.deployignore/);
		assert.match(error.hint, /\.gitignore/);
		const human = await server.cli([]);
		assert.equal(human.code, 1);
		assert.match(human.stderr, /error data\/video\.mp4 is 100 MiB/);
		assert.match(human.stderr, /hint {2}Leave it out of the deploy: add "data\/video\.mp4" to \.deployignore/);

		assert.deepEqual(storeEntries(), objectsBefore, "no object and no temp file was stored");
		assert.equal((await server.cli(["ls", "--json"])).stdout, historyBefore, "no deployment was recorded");
		assert.equal(await answer(), "v1", "the live release still serves");

		// What the hint says works.
		await writeFile(join(server.appDir, ".deployignore"), "data/video.mp4\n");
		const ignored = await server.cli(["--json"]);
		assert.equal(ignored.code, 0, ignored.stderr + ignored.stdout);
		assert.equal(await answer(), "v2");
		assert.equal(existsSync(join(releaseDir(String(ignored.last.id)), "data", "video.mp4")), false);
	});

	test("a tree of 20,000 small files deploys, every file byte for byte, batches split by count and by bytes", async () => {
		await rm(join(server.appDir, "data"), { recursive: true, force: true });
		await rm(join(server.appDir, ".deployignore"), { force: true });
		const written = new Map<string, Buffer>();
		for (let folder = 0; folder < 100; folder++) {
			const dir = join(server.appDir, "pages", `p${folder}`);
			await mkdir(dir, { recursive: true });
			await Promise.all(
				Array.from({ length: 200 }, (_, i) => {
					// An empty file, and a few of ~700 KB that nothing compresses (a batch fills by bytes before it does by count).
					const content = i === 0 && folder === 0 ? Buffer.alloc(0) : i === 7 && folder % 10 === 0 ? randomFillSync(Buffer.alloc(700 * 1024 + folder)) : Buffer.from(`page ${folder}/${i}\n`);
					written.set(`p${folder}/f${i}.txt`, content);
					return writeFile(join(dir, `f${i}.txt`), content);
				}),
			);
		}
		await writeFile(join(server.appDir, "VERSION"), "v3\n");
		const run = await server.cli(["--json"]);
		assert.equal(run.code, 0, run.stderr + run.stdout);
		assert.equal(await answer(), "v3");
		const pages = join(releaseDir(String(run.last.id)), "pages");
		const count = readdirSync(pages).reduce((n, folder) => n + readdirSync(join(pages, folder)).length, 0);
		assert.equal(count, 20_000);
		const differing: string[] = [];
		for (const [path, content] of written) if (!(await readFile(join(pages, path))).equals(content)) differing.push(path);
		assert.deepEqual(differing, [], "every file arrived as written");
		assert.deepEqual(
			storeEntries().filter((name) => name.endsWith(".tmp")),
			[],
			"no temp file is left in the store",
		);
	});

	test("on a terminal a large upload shows a progress bar with bytes and rate; piped, only the step's line", async () => {
		await mkdir(join(server.appDir, "media"), { recursive: true });
		await writeRandomFile(join(server.appDir, "media", "clip.bin"), 40);
		const onTerminal = startCliInPty([], { cwd: server.appDir, env: server.env });
		const { code, output } = await onTerminal.exit;
		assert.equal(code, 0, output);
		assert.match(output, /upload [█░]{20} [\d.]+ [KM]iB of 40 MiB {2}[\d.]+ [KM]iB\/s/, "the bar, the bytes and the rate");
		const uncolored = output.replace(new RegExp(`${ESC}\\[\\d+m`, "g"), "");
		assert.ok(uncolored.includes(`\r${ESC}[K✓ upload`), "the bar is cleared before the step's line");

		await writeRandomFile(join(server.appDir, "media", "clip.bin"), 40);
		const piped = await server.cli([]);
		assert.equal(piped.code, 0, piped.stderr);
		assert.match(piped.stderr, /✓ upload/);
		assert.doesNotMatch(piped.stderr, /[█░]/, "no bar in a pipe");
		assert.ok(!piped.stderr.includes(`${ESC}[K`), "no control sequence in a pipe");
	});
});
