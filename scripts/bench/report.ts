// The benchmark's results: their shape, the issue's targets checked against them, and
// the table printed at the end.

export interface DeployStats {
	medianMs: number;
	samplesMs: number[];
	bytesSent: number;
	objectBytes: number;
	cache: unknown;
	peakRss: number | null;
}

export interface Scenario {
	sshUser: string;
	first: { ms: number; bytesSent: number; objectBytes: number; cache: unknown; peakRss: number | null };
	oneLine: DeployStats;
	noChange: DeployStats & { unchanged: boolean; restarted: boolean };
	/** The same, once the project folder is a git repository (the snapshot then reads git's index and HEAD): most users' case. */
	noChangeGit: DeployStats & { unchanged: boolean };
	rollback: { medianMs: number; samplesMs: number[] };
	/** The changed file, raw-deflated as the upload sends it. */
	changedFileCompressedBytes: number;
	agent: {
		idleRss: number | null;
		peakRss: number | null;
		pid: number | null;
		/** Idle, from smaps_rollup: the daemon's own pages (private) and its proportional share of shared ones (PSS). RSS counts the node binary's pages whole, though every Node process on the server shares them. */
		idlePrivate: number | null;
		idlePss: number | null;
	};
	/** Medians: `ssh user@host true` with OpenSSH's client, and `deploy ls` (CLI start, SSH, agent bridge, one RPC). */
	floors: { sshExecTrueMs: number; deployLsMs: number };
}

export type ScenarioResult = Scenario & { mode: "dedicated" | "self" };

interface Startup {
	deployVersion: { medianMs: number };
	nodeNoop: { medianMs: number; samplesMs: number[] };
	nodeRssFloor: number;
}

export interface Target {
	scenario: string;
	target: string;
	measured: string;
	met: boolean;
}

/** The issue's targets (issue 4), each against what was measured. */
export function targets(startup: Startup, scenarios: ScenarioResult[]): Target[] {
	const ratio = startup.deployVersion.medianMs / startup.nodeNoop.medianMs;
	const list: Target[] = [{ scenario: "cli", target: "deploy --version < 1.5x node -e 0", measured: `${ratio.toFixed(2)}x (${ms(startup.deployVersion.medianMs)} vs ${ms(startup.nodeNoop.medianMs)})`, met: ratio < 1.5 }];
	for (const s of scenarios) {
		const bytesRatio = s.oneLine.bytesSent / s.changedFileCompressedBytes;
		list.push(
			{ scenario: s.mode, target: "no-change redeploy < 0.6 s, nothing restarted", measured: `${ms(s.noChange.medianMs)}, ${s.noChange.unchanged ? "unchanged" : "NOT unchanged"}, ${s.noChange.restarted ? "RESTARTED" : "nothing restarted"}`, met: s.noChange.medianMs < 600 && s.noChange.unchanged && !s.noChange.restarted },
			{ scenario: s.mode, target: "one-line change < 1.5 s until the new version answers", measured: ms(s.oneLine.medianMs), met: s.oneLine.medianMs < 1500 },
			{
				scenario: s.mode,
				target: "bytes for a one-line change < 2x the file compressed",
				measured: `${s.oneLine.bytesSent} B sent in all = ${bytesRatio.toFixed(1)}x of ${s.changedFileCompressedBytes} B (object payload ${s.oneLine.objectBytes} B = ${(s.oneLine.objectBytes / s.changedFileCompressedBytes).toFixed(1)}x)`,
				met: bytesRatio < 2,
			},
			{ scenario: s.mode, target: "agent idle < 40 MB resident", measured: mb(s.agent.idleRss), met: s.agent.idleRss !== null && s.agent.idleRss < 40 * 1024 * 1024 },
		);
	}
	return list;
}

export function printTable(report: { machine: Record<string, unknown>; runs: number; startup: Startup; scenarios: ScenarioResult[]; targets: Target[] }): void {
	const { machine, startup, scenarios } = report;
	console.log(`\nmachine: ${machine.nproc} cores (${machine.cpu}), ${machine.memoryGiB} GiB, node ${machine.node}, ${machine.date}`);
	console.log(`start-up (median of 15): deploy --version ${ms(startup.deployVersion.medianMs)}, node -e 0 ${withFastest(startup.nodeNoop)}; a bare node process holds ${mb(startup.nodeRssFloor)} resident\n`);
	const rows: string[][] = [];
	for (const s of scenarios) {
		rows.push([s.mode, "first deploy (npm ci)", ms(s.first.ms), String(s.first.bytesSent), String(s.first.objectBytes), cacheOf(s.first.cache), mb(s.first.peakRss)]);
		rows.push([s.mode, `one-line change (median of ${report.runs})`, withFastest(s.oneLine), String(s.oneLine.bytesSent), String(s.oneLine.objectBytes), cacheOf(s.oneLine.cache), mb(s.oneLine.peakRss)]);
		rows.push([s.mode, `no change (median of ${report.runs})`, withFastest(s.noChange), String(s.noChange.bytesSent), String(s.noChange.objectBytes), s.noChange.unchanged ? "unchanged" : cacheOf(s.noChange.cache), mb(s.noChange.peakRss)]);
		rows.push([s.mode, "no change, in a git repository", withFastest(s.noChangeGit), String(s.noChangeGit.bytesSent), String(s.noChangeGit.objectBytes), s.noChangeGit.unchanged ? "unchanged" : cacheOf(s.noChangeGit.cache), mb(s.noChangeGit.peakRss)]);
		rows.push([s.mode, `rollback (median of ${report.runs})`, withFastest(s.rollback), "-", "-", "-", "-"]);
		rows.push([s.mode, "agent daemon idle / peak (VmHWM)", "-", "-", "-", "-", `${mb(s.agent.idleRss)} / ${mb(s.agent.peakRss)}`]);
		rows.push([s.mode, "agent daemon idle: private / PSS", "-", "-", "-", "-", `${mb(s.agent.idlePrivate)} / ${mb(s.agent.idlePss)}`]);
		rows.push([s.mode, "floor: ssh true (OpenSSH client)", ms(s.floors.sshExecTrueMs), "-", "-", "-", "-"]);
		rows.push([s.mode, "floor: deploy ls (connect + 1 RPC)", ms(s.floors.deployLsMs), "-", "-", "-", "-"]);
	}
	console.log(columns(rows, ["SSH USER", "STEP", "WALL", "BYTES SENT", "OBJECT BYTES", "CACHE", "AGENT RSS PEAK"]));
	console.log(`\nSSH users: ${scenarios.map((s) => `${s.mode} = ${s.sshUser}`).join("; ")}\n`);
	console.log(columns(report.targets.map((t) => [t.scenario, t.target, t.measured, t.met ? "met" : "MISSED"]), ["", "TARGET", "MEASURED", ""]));
}

/** On a shared, loaded machine the fastest run is the one least disturbed by others: shown beside the median. */
function withFastest(stats: { medianMs: number; samplesMs: number[] }): string {
	return `${ms(stats.medianMs)} (fastest ${ms(Math.min(...stats.samplesMs))})`;
}

function cacheOf(cache: unknown): string {
	const c = cache as { install?: string; build?: string } | undefined;
	return c ? `install ${c.install}, build ${c.build}` : "-";
}

function ms(value: number): string {
	return value < 1000 ? `${Math.round(value)} ms` : `${(value / 1000).toFixed(2)} s`;
}

function mb(bytes: number | null): string {
	return bytes === null ? "-" : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function columns(rows: string[][], header: string[]): string {
	const all = [header, ...rows];
	const widths = header.map((_, i) => Math.max(...all.map((row) => (row[i] ?? "").length)));
	return all.map((row) => row.map((cell, i) => cell.padEnd(widths[i]!)).join("  ").trimEnd()).join("\n");
}

/** Issue 12: the bare server's lines. */
export function printFresh(fresh: { serversAddMs: number; steps: { step: string; ms: number; message: string }[]; firstDeployMs: number; bootToAnswerMs: number }): void {
	console.log("\nbare Debian 12 (fresh-server fixture, Node.js from the 127.0.0.1 mirror, Caddy from Debian's package):");
	const rows = [
		["servers add, in all", ms(fresh.serversAddMs), ""],
		...fresh.steps.map((s) => [`  ${s.step}`, ms(s.ms), s.message.length > 70 ? `${s.message.slice(0, 67)}...` : s.message]),
		["first deploy of examples/express", ms(fresh.firstDeployMs), ""],
		["reboot until the app answers (no client command)", ms(fresh.bootToAnswerMs), ""],
	];
	console.log(columns(rows, ["STEP", "WALL", ""]));
}
