import { type Histogram, merge as mergeHistogram, record } from "./histogram.js";

/** Sum, count and maximum of samples: merges by adding, averages as sum / n. */
export interface Usage {
	sum: number;
	n: number;
	max: number;
}

/**
 * What one app did in one time bucket. Every field merges by adding (or max), so a
 * bucket written in several pieces (the agent flushes every tick, late log lines
 * arrive) reads back as one, and coarser tiers are merges of finer ones.
 */
export interface Bucket {
	/** Start of the bucket, ms since the epoch. */
	t: number;
	requests: number;
	s2xx: number;
	s3xx: number;
	s4xx: number;
	s5xx: number;
	bytes: number;
	latency: Histogram;
	/** The app's instances together: one sample = their summed CPU percent / memory. */
	cpu?: Usage;
	memory?: Usage;
	/** Per instance id ("web.1"); at most MAX_INSTANCES, so a line stays small. */
	instances?: Record<string, { cpu?: Usage; memory?: Usage }>;
}

export const MAX_INSTANCES = 32;

export function emptyBucket(t: number): Bucket {
	return { t, requests: 0, s2xx: 0, s3xx: 0, s4xx: 0, s5xx: 0, bytes: 0, latency: {} };
}

export function addRequest(bucket: Bucket, status: number, durationMs: number, bytes: number): void {
	bucket.requests++;
	if (status >= 500) bucket.s5xx++;
	else if (status >= 400) bucket.s4xx++;
	else if (status >= 300) bucket.s3xx++;
	else if (status >= 200) bucket.s2xx++;
	bucket.bytes += Math.max(0, bytes);
	record(bucket.latency, Math.max(0, durationMs));
}

export interface InstanceSample {
	id: string;
	cpuPercent: number | null;
	memoryBytes: number | null;
}

/** One sampling of the app's instances: their sum for the app, each one for itself. */
export function addSample(bucket: Bucket, instances: readonly InstanceSample[]): void {
	const cpus = instances.map((i) => i.cpuPercent).filter((v): v is number => v !== null);
	const memories = instances.map((i) => i.memoryBytes).filter((v): v is number => v !== null);
	if (cpus.length) bucket.cpu = addUsage(bucket.cpu, sum(cpus));
	if (memories.length) bucket.memory = addUsage(bucket.memory, sum(memories));
	for (const instance of instances) {
		const entry = instanceEntry(bucket, instance.id);
		if (!entry) continue;
		if (instance.cpuPercent !== null) entry.cpu = addUsage(entry.cpu, instance.cpuPercent);
		if (instance.memoryBytes !== null) entry.memory = addUsage(entry.memory, instance.memoryBytes);
	}
}

export function isEmpty(bucket: Bucket): boolean {
	return bucket.requests === 0 && !bucket.cpu && !bucket.memory && !bucket.instances;
}

/** Adds `from` into `into` (same or finer bucket); returns `into`. */
export function mergeBucket(into: Bucket, from: Bucket): Bucket {
	into.requests += from.requests;
	into.s2xx += from.s2xx;
	into.s3xx += from.s3xx;
	into.s4xx += from.s4xx;
	into.s5xx += from.s5xx;
	into.bytes += from.bytes;
	mergeHistogram(into.latency, from.latency);
	into.cpu = mergeUsage(into.cpu, from.cpu);
	into.memory = mergeUsage(into.memory, from.memory);
	for (const [id, entry] of Object.entries(from.instances ?? {})) {
		const target = instanceEntry(into, id);
		if (!target) continue;
		target.cpu = mergeUsage(target.cpu, entry.cpu);
		target.memory = mergeUsage(target.memory, entry.memory);
	}
	if (!into.cpu) delete into.cpu;
	if (!into.memory) delete into.memory;
	return into;
}

/** The bucket's entry for an instance, made when missing; null past MAX_INSTANCES. */
function instanceEntry(bucket: Bucket, id: string): { cpu?: Usage; memory?: Usage } | null {
	bucket.instances ??= {};
	const existing = bucket.instances[id];
	if (existing) return existing;
	if (Object.keys(bucket.instances).length >= MAX_INSTANCES) return null;
	const entry = {};
	bucket.instances[id] = entry;
	return entry;
}

export function average(usage: Usage | undefined): number | null {
	return usage && usage.n > 0 ? Math.round((usage.sum / usage.n) * 10) / 10 : null;
}

function addUsage(usage: Usage | undefined, value: number): Usage {
	return usage ? { sum: usage.sum + value, n: usage.n + 1, max: Math.max(usage.max, value) } : { sum: value, n: 1, max: value };
}

function mergeUsage(a: Usage | undefined, b: Usage | undefined): Usage | undefined {
	if (!a) return b ? { ...b } : undefined;
	if (!b) return a;
	return { sum: a.sum + b.sum, n: a.n + b.n, max: Math.max(a.max, b.max) };
}

function sum(values: number[]): number {
	return values.reduce((a, b) => a + b, 0);
}

/** A parsed line, checked enough that a damaged file cannot crash a query. */
export function parseBucket(line: string): Bucket | null {
	try {
		const value = JSON.parse(line) as Bucket;
		if (typeof value?.t !== "number" || typeof value.requests !== "number" || typeof value.latency !== "object" || value.latency === null) return null;
		return value;
	} catch {
		return null;
	}
}
