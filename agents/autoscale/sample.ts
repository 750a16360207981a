import type { LimitsSpec } from "../../core/protocol/scaling.js";
import type { ProcessSample } from "./decide.js";

/** One instance as read from /proc: CPU in percent of one core since the last look, resident memory. */
export interface InstanceReading {
	cpuPercent: number;
	rssBytes: number;
}

/**
 * The process's sample from its instances' readings: CPU as percent of the CPU limit
 * (of one core without one), memory as percent of the memory limit (of the machine's
 * memory per core without one: what one single-threaded instance may fairly take).
 * Null when no instance could be read. Pure.
 */
export function processSample(readings: InstanceReading[], limits: LimitsSpec | undefined, machine: { totalBytes: number; cpus: number }, atMs: number): ProcessSample | null {
	if (readings.length === 0) return null;
	const cores = limits?.cpu ?? 1;
	const memoryBase = limits?.memoryBytes ?? machine.totalBytes / Math.max(1, machine.cpus);
	const cpu = readings.reduce((sum, r) => sum + r.cpuPercent / cores, 0) / readings.length;
	const memory = readings.reduce((sum, r) => sum + (r.rssBytes / memoryBase) * 100, 0) / readings.length;
	return { atMs, cpuPercent: cpu, memoryPercent: memory };
}

/** How often a process is sampled: six samples per window, between 1 and 5 seconds apart. Pure. */
export function sampleIntervalMs(windowSeconds: number): number {
	return Math.min(5_000, Math.max(1_000, Math.round((windowSeconds * 1000) / 6)));
}
