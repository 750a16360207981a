import type { AutoscaleSpec } from "../../core/protocol/scaling.js";
import { formatSize } from "../../core/protocol/size.js";

/** One look at a process: its instances' average CPU and memory at `atMs`. */
export interface ProcessSample {
	atMs: number;
	/** Average over the instances, percent of one core (or of the CPU limit). */
	cpuPercent: number;
	/** Average over the instances, percent of the memory limit (or of the machine's memory per core). */
	memoryPercent: number;
}

/** What the server can hold: no more instances than this, and the reason, for a person. */
export interface Capacity {
	maxInstances: number;
	why: string;
}

export interface DecideInput {
	nowMs: number;
	policy: AutoscaleSpec;
	/** Instances of the process serving now. */
	current: number;
	/** Samples of the process, any age: those older than the window are ignored. */
	samples: ProcessSample[];
	/** When the autoscaler last scaled this process up / at all (epoch ms), null if never. */
	lastUpAtMs: number | null;
	lastScaleAtMs: number | null;
	capacity: Capacity;
}

/**
 * `steady` and `warming-up` are not worth recording; the others are: `scale` changes
 * the count, `capped` and `cooldown` say why it did not.
 */
export interface Decision {
	kind: "scale" | "capped" | "cooldown" | "steady" | "warming-up";
	action: "up" | "down" | "hold";
	from: number;
	to: number;
	reason: string;
	cpuPercent?: number;
	memoryPercent?: number;
}

/** A window needs this many samples, spread over at least half its length, before it decides anything. */
const MIN_SAMPLES = 3;

const pct = (n: number) => `${Math.round(n)}%`;

/**
 * The autoscaler's whole policy, pure: the clock and the samples come in, a decision
 * with its reason goes out (tested in test/agents/autoscale/decide.test.ts).
 *
 * - The averages over `windowSeconds` decide, never one sample: a spike does not scale.
 * - Up when CPU > cpuUp or memory > memoryUp, to the count that brings the hotter
 *   of the two back under its threshold (like Kubernetes' HPA), one more at least.
 * - Down one instance at a time when CPU < cpuDown and memory < memoryDown, and only
 *   if the remaining instances would stay under the up thresholds (no flapping).
 * - Bounds: min, then the lower of max and the server's capacity.
 * - Cooldowns: a scale up waits upCooldownSeconds after the last scale up; a scale
 *   down waits downCooldownSeconds after the last scale of either kind.
 */
export function decide(input: DecideInput): Decision {
	const { policy, current, nowMs, capacity } = input;
	const ceiling = Math.max(policy.min, Math.min(policy.max, capacity.maxInstances));
	const ceilingWhy = policy.max <= capacity.maxInstances ? `max ${policy.max}` : capacity.why;
	const hold = (kind: Decision["kind"], reason: string, extra: Partial<Decision> = {}): Decision => ({ kind, action: "hold", from: current, to: current, reason, ...extra });

	if (current < policy.min) return { kind: "scale", action: "up", from: current, to: policy.min, reason: `${current} instance(s) is below min ${policy.min}` };
	if (current > policy.max) return { kind: "scale", action: "down", from: current, to: policy.max, reason: `${current} instances is above max ${policy.max}` };

	const windowMs = policy.windowSeconds * 1000;
	const recent = input.samples.filter((s) => s.atMs <= nowMs && s.atMs > nowMs - windowMs);
	const span = recent.length > 0 ? Math.max(...recent.map((s) => s.atMs)) - Math.min(...recent.map((s) => s.atMs)) : 0;
	if (recent.length < MIN_SAMPLES || span < windowMs / 2) return hold("warming-up", `collecting samples (${recent.length} over ${Math.round(span / 1000)} s of a ${policy.windowSeconds} s window)`);

	const cpu = recent.reduce((sum, s) => sum + s.cpuPercent, 0) / recent.length;
	const memory = recent.reduce((sum, s) => sum + s.memoryPercent, 0) / recent.length;
	const averages = { cpuPercent: Math.round(cpu * 10) / 10, memoryPercent: Math.round(memory * 10) / 10 };
	const over = [cpu > policy.cpuUp ? `CPU ${pct(cpu)} > ${pct(policy.cpuUp)}` : null, memory > policy.memoryUp ? `memory ${pct(memory)} > ${pct(policy.memoryUp)}` : null].filter(Boolean);
	const window = `averaged over ${policy.windowSeconds} s`;

	if (over.length > 0) {
		const load = Math.max(cpu / policy.cpuUp, memory / policy.memoryUp);
		const wanted = Math.max(current + 1, Math.ceil(current * load));
		const to = Math.min(wanted, ceiling);
		const why = `${over.join(" and ")} ${window}`;
		if (to <= current) return hold("capped", `would scale up (${why}) but ${current} is the most allowed: ${ceilingWhy}`, averages);
		const sinceUp = input.lastUpAtMs === null ? Number.POSITIVE_INFINITY : nowMs - input.lastUpAtMs;
		if (sinceUp < policy.upCooldownSeconds * 1000) {
			return hold("cooldown", `would scale up (${why}) but the last scale up was ${Math.round(sinceUp / 1000)} s ago (cooldown ${policy.upCooldownSeconds} s)`, averages);
		}
		const capped = to < wanted ? `; capped at ${to} by ${ceilingWhy}` : "";
		return { kind: "scale", action: "up", from: current, to, reason: `${why}${capped}`, ...averages };
	}

	if (cpu < policy.cpuDown && memory < policy.memoryDown && current > policy.min) {
		const to = current - 1;
		// The load the remaining instances would carry; if that is already "hot", stay.
		if ((cpu * current) / to > policy.cpuUp || (memory * current) / to > policy.memoryUp) return hold("steady", `fewer instances would be over the up thresholds`, averages);
		const why = `CPU ${pct(cpu)} < ${pct(policy.cpuDown)} and memory ${pct(memory)} < ${pct(policy.memoryDown)} ${window}`;
		const since = input.lastScaleAtMs === null ? Number.POSITIVE_INFINITY : nowMs - input.lastScaleAtMs;
		if (since < policy.downCooldownSeconds * 1000) {
			return hold("cooldown", `would scale down (${why}) but the last scale was ${Math.round(since / 1000)} s ago (cooldown ${policy.downCooldownSeconds} s)`, averages);
		}
		return { kind: "scale", action: "down", from: current, to, reason: why, ...averages };
	}
	return hold("steady", `CPU ${pct(cpu)}, memory ${pct(memory)} ${window}: within thresholds`, averages);
}

/**
 * The most instances of one process the server holds: one per core (a Node
 * instance uses one; `limits.cpu` of a core each when set), and what free memory fits
 * at the instance's limit or its current size. Never below `current`. Pure.
 */
export function capacityOf(input: { cpus: number; cpuLimit?: number | undefined; availableBytes: number; perInstanceBytes: number; current: number; hardMax: number }): Capacity {
	const byCores = Math.max(1, Math.floor(input.cpus / (input.cpuLimit ?? 1)));
	const byMemory = input.perInstanceBytes > 0 ? input.current + Math.floor((input.availableBytes * 0.9) / input.perInstanceBytes) : Number.POSITIVE_INFINITY;
	const options: Capacity[] = [
		{ maxInstances: byCores, why: `the server's ${input.cpus} core(s)${input.cpuLimit !== undefined ? ` at ${input.cpuLimit} core per instance` : ""}` },
		{ maxInstances: byMemory, why: `the server's free memory (${formatSize(input.availableBytes)})` },
		{ maxInstances: input.hardMax, why: `the agent's limit of ${input.hardMax} instances per process` },
	];
	const tightest = options.reduce((a, b) => (b.maxInstances < a.maxInstances ? b : a));
	return { maxInstances: Math.max(input.current, tightest.maxInstances), why: tightest.why };
}
