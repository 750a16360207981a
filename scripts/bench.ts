// `npm run bench`: issue 4's benchmark, against a real sshd on 127.0.0.1, the built
// CLI and Caddy. An Express app with a lockfile (examples/express): first deploy,
// a one-line change, no change, rollback; wall time and bytes uploaded for each; CLI
// start-up next to `node -e 0`; the agent daemon's memory idle and during deploys.
// Prints a table, writes bench-results/<date>.json. docs/benchmarks.md has results.
//
//   npm run bench                 as a dedicated user with /bin/sh (needs root)
//   npm run bench -- --both       that, and as the current user (root's shell rc)
//   npm run bench -- --as-self    only as the current user
//   npm run bench -- --runs 5     redeploys per kind (median reported; default 3)
//   npm run bench -- --no-fresh   without issue 12's bare-server scenario (servers add, reboot)
//   npm run bench -- --no-upload  without issue 14's upload scenario (200 MB vs scp, small files vs git push)
//   npm run bench -- --upload-only  only that one
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { cpus, tmpdir, totalmem, userInfo } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { execa } from "execa";
import { startSshd } from "../test/fixtures/sshd.js";
import { freePort, httpGet } from "../test/helpers/net.js";
import { median, medianStartup, procMemory, procSharing, sampleRss, type Timed, timeCli } from "./bench/measure.js";
import { printFresh, printTable, type Scenario, type ScenarioResult, targets } from "./bench/report.js";
import { type BenchUser, createBenchUser, openServerFolder } from "./bench/user.js";
import { freshServerScenario } from "./bench/fresh.js";
import { uploadScenario, uploadTargets } from "./bench/upload.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const bin = join(root, "bin", "deploy");
const args = process.argv.slice(2);
const runs = Number(args[args.indexOf("--runs") + 1]) || 3;
/** The pause before each measured deploy (see deployOnce). */
const SETTLE_MS = 2_500;
const modes: ("dedicated" | "self")[] = args.includes("--as-self") ? ["self"] : args.includes("--both") ? ["dedicated", "self"] : ["dedicated"];

if (!existsSync(join(root, "dist", "agent.mjs")) || !existsSync(join(root, "dist", "cli", "main.js"))) {
	console.error("building first (npm run build)…");
	await execa("npm", ["run", "--silent", "build"], { cwd: root, stdio: "inherit" });
}

const startup = {
	deployVersion: medianStartup(process.execPath, [bin, "--version"], 15),
	nodeNoop: medianStartup(process.execPath, ["-e", "0"], 15),
	/** What any Node process holds resident here, before it does anything: the floor under the agent's memory. */
	nodeRssFloor: Number(spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.memoryUsage().rss))"], { encoding: "utf8" }).stdout),
};

const uploadOnly = args.includes("--upload-only");
const scenarios: ScenarioResult[] = [];
if (!uploadOnly) for (const mode of modes) scenarios.push(await runScenario(mode));
// Issue 12: a bare Debian 12 set up by `servers add`, and a reboot until the app answers again.
const fresh = uploadOnly || args.includes("--no-fresh") ? null : await freshServerScenario(bin, root);
// Issue 14: large and many files, next to scp and git push over the same sshd.
const upload = args.includes("--no-upload") ? null : await uploadScenario(bin, root, runs);

const machine = {
	nproc: cpus().length,
	cpu: cpus()[0]?.model ?? "unknown",
	memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
	node: process.version,
	date: new Date().toISOString(),
};
const report = { machine, runs, startup, scenarios, fresh, upload, targets: [...targets(startup, scenarios), ...(upload ? uploadTargets(upload) : [])] };
printTable(report);
if (fresh) printFresh(fresh);
const out = join(root, "bench-results");
await mkdir(out, { recursive: true });
const file = join(out, `bench-${machine.date.replace(/[:.]/g, "-")}.json`);
await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
await writeFile(join(out, "latest.json"), `${JSON.stringify(report, null, 2)}\n`);
console.log(`\nwrote ${file}`);

/** One full pass: a fresh server (sshd + agent + Caddy), the app deployed, changed, redeployed, rolled back. */
async function runScenario(mode: "dedicated" | "self"): Promise<ScenarioResult> {
	let user: BenchUser | null = null;
	const home = await mkdtemp(join(tmpdir(), "deploy-bench-home-"));
	const appDir = await mkdtemp(join(tmpdir(), "deploy-bench-app-"));
	const sshd = await startSshd();
	try {
		if (mode === "dedicated") {
			user = await createBenchUser("deploybench");
			await openServerFolder(sshd.agentHome);
		}
		const sshUser = user?.name ?? userInfo().username;
		await cp(join(root, "examples", "express"), appDir, { recursive: true, filter: (source) => !source.includes("node_modules") });
		const env = { DEPLOY_HOME: home };
		const cli = (cliArgs: string[]) => timeCli(bin, cliArgs, { cwd: appDir, env });
		const httpPort = await freePort();
		const add = await cli(["servers", "add", "bench", `${sshUser}@127.0.0.1`, "--port", String(sshd.port), "--identity", sshd.identityFile, "--proxy", "caddy", "--http-port", String(httpPort), "--https-port", String(await freePort()), "--accept-new-host-key", "--json"]);
		check(add, "servers add");

		const daemonPid = { value: null as number | null };
		const readPid = async () => (daemonPid.value = Number((await readFile(join(sshd.agentHome, "agent.pid"), "utf8").catch(() => "")).trim()) || null);
		await readPid();
		const host = `${JSON.parse(await readFile(join(appDir, "package.json"), "utf8")).name}.127.0.0.1.sslip.io`;
		const answer = async () => (await httpGet(httpPort, host)).body.trim();
		const serverJs = join(appDir, "server.js");
		const source = await readFile(serverJs, "utf8");
		const setMessage = (version: string) => writeFile(serverJs, source.replace(/const MESSAGE = "[^"]*";/, `const MESSAGE = "hello from express ${version}";`));
		const deployOnce = async (label: string, expect: string) => {
			// Each redeploy starts on a settled server: the previous release's drain (1 s,
			// then SIGTERM) and the new instances' start are over, as between two deploys
			// a person makes. Without this pause, those share the two cores with the run.
			await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
			const sampler = sampleRss(() => daemonPid.value);
			const run = await cli(["--json"]);
			const peakRss = await sampler.stop();
			check(run, label);
			const body = await answer();
			if (body !== `hello from express ${expect}`) throw new Error(`${label}: the app answered "${body}", not ${expect}`);
			const upload = run.last.upload as { objectsSent: number; objectBytes: number; bytesSent: number };
			return { ms: run.ms, upload, peakRss, record: run.last };
		};
		const pids = async () => {
			const ps = await cli(["ps", "--json"]);
			check(ps, "ps");
			return (JSON.parse(ps.stdout) as { pid: number | null; status: string }[]).filter((i) => i.status === "running").map((i) => i.pid).sort().join(",");
		};

		const first = await deployOnce("first deploy", "v1");
		// Floors, to read the redeploys against: one SSH exec with OpenSSH's client, and one read command (connect + one RPC).
		const sshExec: number[] = [];
		const readCommand: number[] = [];
		for (let i = 0; i < runs; i++) {
			await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
			const started = process.hrtime.bigint();
			await execa("ssh", ["-i", sshd.identityFile, "-p", String(sshd.port), "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR", `${sshUser}@127.0.0.1`, "true"]);
			sshExec.push(Number(process.hrtime.bigint() - started) / 1e6);
			const ls = await cli(["ls", "--json"]);
			check(ls, "ls");
			readCommand.push(ls.ms);
		}
		await readPid();

		const oneLine = [];
		for (let i = 0; i < runs; i++) {
			await setMessage(`v${i + 2}`);
			oneLine.push(await deployOnce("one-line change", `v${i + 2}`));
		}
		const changedFile = await compressedSize(serverJs);

		const noChange = [];
		let restarted = false;
		for (let i = 0; i < runs; i++) {
			const before = await pids();
			noChange.push(await deployOnce("no-change redeploy", `v${runs + 1}`));
			if ((await pids()) !== before) restarted = true;
		}

		// The same in a git repository: one deploy records the commit, then the measured ones.
		await execa("git", ["init", "-q"], { cwd: appDir });
		await execa("git", ["add", "-A"], { cwd: appDir });
		await execa("git", ["-c", "user.name=bench", "-c", "user.email=bench@127.0.0.1", "commit", "-q", "-m", "bench"], { cwd: appDir });
		await deployOnce("git repository", `v${runs + 1}`);
		const noChangeGit = [];
		for (let i = 0; i < runs; i++) noChangeGit.push(await deployOnce("no-change redeploy in git", `v${runs + 1}`));

		const rollbacks = [];
		// Each rollback goes one release further back, and only keepReleases (5, the live one included) are kept.
		for (let i = 0; i < Math.min(runs, 4); i++) {
			const run = await cli(["rollback", "--json"]);
			check(run, "rollback");
			rollbacks.push(run.ms);
		}

		// Idle: after the deploys, once the old instances have drained.
		await new Promise((resolve) => setTimeout(resolve, 3_000));
		await readPid();
		const idleRss = daemonPid.value ? await procMemory(daemonPid.value, "VmRSS") : null;
		const sharing = daemonPid.value ? await procSharing(daemonPid.value) : null;
		const peakRss = daemonPid.value ? await procMemory(daemonPid.value, "VmHWM") : null;

		const scenario: Scenario = {
			sshUser: mode === "dedicated" ? `${sshUser} (dedicated, /bin/sh)` : `${sshUser} (the current user, its own shell rc)`,
			first: { ms: first.ms, bytesSent: first.upload.bytesSent, objectBytes: first.upload.objectBytes, cache: first.record.cache, peakRss: first.peakRss },
			oneLine: summarize(oneLine),
			noChange: { ...summarize(noChange), unchanged: noChange.every((d) => d.record.unchanged === true), restarted },
			noChangeGit: { ...summarize(noChangeGit), unchanged: noChangeGit.every((d) => d.record.unchanged === true) },
			rollback: { medianMs: median(rollbacks), samplesMs: rollbacks },
			changedFileCompressedBytes: changedFile,
			agent: { idleRss, peakRss, pid: daemonPid.value, idlePrivate: sharing?.private ?? null, idlePss: sharing?.pss ?? null },
			floors: { sshExecTrueMs: median(sshExec), deployLsMs: median(readCommand) },
		};
		return { mode, ...scenario };
	} finally {
		await sshd.stop();
		await user?.remove();
		await rm(home, { recursive: true, force: true });
		await rm(appDir, { recursive: true, force: true });
	}
}

function summarize(deploys: { ms: number; upload: { bytesSent: number; objectBytes: number }; peakRss: number | null; record: Record<string, unknown> }[]) {
	return {
		medianMs: median(deploys.map((d) => d.ms)),
		samplesMs: deploys.map((d) => Math.round(d.ms)),
		bytesSent: median(deploys.map((d) => d.upload.bytesSent)),
		objectBytes: median(deploys.map((d) => d.upload.objectBytes)),
		cache: deploys.at(-1)?.record.cache,
		peakRss: Math.max(0, ...deploys.map((d) => d.peakRss ?? 0)) || null,
	};
}

/** The file compressed as the upload compresses it (raw deflate, core/deploy/upload.ts). */
async function compressedSize(path: string): Promise<number> {
	const { deflateRawSync } = await import("node:zlib");
	return deflateRawSync(await readFile(path)).length;
}

function check(run: Timed, what: string): void {
	if (run.code !== 0) throw new Error(`${what} failed (exit ${run.code}):\n${run.stderr}\n${run.stdout.slice(-2000)}`);
}
