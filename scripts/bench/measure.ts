// What the benchmark measures with: the built CLI timed from spawn to exit, a
// process's resident memory from /proc, and start-up medians.
import { spawn, spawnSync } from "node:child_process";
import { readFile } from "node:fs/promises";

export interface Timed {
	ms: number;
	code: number;
	stdout: string;
	stderr: string;
	/** The last JSON line of stdout (the result or the error envelope), when there is one. */
	last: Record<string, unknown>;
}

/** Runs `node bin/deploy ...args` the way a user does and times it, spawn to exit. */
export function timeCli(bin: string, args: string[], options: { cwd: string; env: Record<string, string> }): Promise<Timed> {
	return new Promise((resolve, reject) => {
		const started = process.hrtime.bigint();
		const child = spawn(process.execPath, [bin, ...args], { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ["ignore", "pipe", "pipe"] });
		let stdout = "";
		let stderr = "";
		child.stdout.on("data", (chunk) => (stdout += chunk));
		child.stderr.on("data", (chunk) => (stderr += chunk));
		child.on("error", reject);
		child.on("close", (code) => {
			const ms = Number(process.hrtime.bigint() - started) / 1e6;
			const lines = stdout.split("\n").filter((line) => line.startsWith("{"));
			let last: Record<string, unknown> = {};
			try {
				last = lines.length ? (JSON.parse(lines.at(-1)!) as Record<string, unknown>) : {};
			} catch {
				// Not JSON: the caller reports stdout and stderr.
			}
			resolve({ ms, code: code ?? -1, stdout, stderr, last });
		});
	});
}

/** Median wall time of `runs` runs of a command, each to completion (the first run warms the page cache and is dropped). */
export function medianStartup(command: string, args: string[], runs: number): { medianMs: number; samplesMs: number[] } {
	const samples: number[] = [];
	for (let i = 0; i <= runs; i++) {
		const started = process.hrtime.bigint();
		const result = spawnSync(command, args, { stdio: "ignore" });
		if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} exited ${result.status}`);
		if (i > 0) samples.push(Number(process.hrtime.bigint() - started) / 1e6);
	}
	return { medianMs: median(samples), samplesMs: samples };
}

export function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** A field of /proc/<pid>/status in bytes (VmRSS: resident now; VmHWM: the peak so far); null when the process is gone. */
export async function procMemory(pid: number, field: "VmRSS" | "VmHWM"): Promise<number | null> {
	const status = await readFile(`/proc/${pid}/status`, "utf8").catch(() => null);
	const match = status && new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status);
	return match ? Number(match[1]) * 1024 : null;
}

/** A process's own pages (Private_Clean + Private_Dirty) and its PSS, from /proc/<pid>/smaps_rollup, in bytes; null when the process is gone. */
export async function procSharing(pid: number): Promise<{ private: number; pss: number } | null> {
	const rollup = await readFile(`/proc/${pid}/smaps_rollup`, "utf8").catch(() => null);
	if (!rollup) return null;
	const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(rollup)?.[1] ?? 0) * 1024;
	return { private: kb("Private_Clean") + kb("Private_Dirty"), pss: kb("Pss") };
}

/** Samples a process's VmRSS every `everyMs` until stopped; the peak seen. */
export function sampleRss(pid: () => number | null, everyMs = 20): { stop(): Promise<number | null> } {
	let peak: number | null = null;
	let running = true;
	const loop = (async () => {
		while (running) {
			const current = pid();
			const rss = current === null ? null : await procMemory(current, "VmRSS");
			if (rss !== null && (peak === null || rss > peak)) peak = rss;
			await new Promise((resolve) => setTimeout(resolve, everyMs));
		}
	})();
	return {
		async stop() {
			running = false;
			await loop;
			return peak;
		},
	};
}
