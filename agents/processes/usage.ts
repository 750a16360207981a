import { readFileSync } from "node:fs";

/**
 * CPU and memory of a process from /proc. Clock ticks are USER_HZ, 100 on every
 * Linux userspace ABI, so no `getconf CLK_TCK` call is needed.
 */
export const TICKS_PER_SECOND = 100;

export interface ProcSample {
	/** utime + stime, in clock ticks. */
	cpuTicks: number;
	/** When the process started, in clock ticks since boot. */
	startTicks: number;
	rssBytes: number | null;
}

export function readProcSample(pid: number): ProcSample | null {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
		// The command name (field 2) may hold spaces and parentheses: count from the last ')'.
		const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
		const status = readFileSync(`/proc/${pid}/status`, "utf8");
		const rss = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
		return { cpuTicks: Number(fields[11]) + Number(fields[12]), startTicks: Number(fields[19]), rssBytes: rss ? Number(rss[1]) * 1024 : null };
	} catch {
		return null;
	}
}

/** Seconds since boot, from /proc/uptime. */
export function systemUptimeSeconds(): number | null {
	try {
		return Number(readFileSync("/proc/uptime", "utf8").split(" ")[0]);
	} catch {
		return null;
	}
}

/** Percent of one core between two samples of cumulative CPU ticks. Pure. */
export function cpuPercent(previous: { cpuTicks: number; atMs: number }, now: { cpuTicks: number; atMs: number }): number {
	const seconds = (now.atMs - previous.atMs) / 1000;
	if (seconds <= 0) return 0;
	return Math.round(((now.cpuTicks - previous.cpuTicks) / TICKS_PER_SECOND / seconds) * 1000) / 10;
}

/**
 * Remembers the last sample per pid, so each `ps` shows the CPU used since the one
 * before; a first look averages over the process's whole life.
 */
export class CpuSampler {
	private readonly last = new Map<number, { cpuTicks: number; atMs: number }>();

	sample(pid: number, sample: ProcSample, uptimeSeconds: number | null, nowMs = Date.now()): number | null {
		const previous = this.last.get(pid) ?? (uptimeSeconds !== null ? { cpuTicks: 0, atMs: nowMs - (uptimeSeconds - sample.startTicks / TICKS_PER_SECOND) * 1000 } : null);
		const current = { cpuTicks: sample.cpuTicks, atMs: nowMs };
		this.last.set(pid, current);
		if (this.last.size > 4096) this.last.delete(this.last.keys().next().value as number);
		return previous ? cpuPercent(previous, current) : null;
	}
}
