/**
 * A latency histogram with fixed log-scale buckets, so two of them merge by adding
 * counts: percentiles over an hour or a month come from the merged histogram, never
 * from averaged percentiles. Bucket i holds latencies in [BASE * GROWTH^(i-1), BASE * GROWTH^i)
 * ms (bucket 0: below BASE); GROWTH = 2^(1/4) keeps every estimate within about 10 %.
 */
export const BASE_MS = 0.1;
export const GROWTH = 2 ** (1 / 4);
/** 0.1 ms * 2^(100/4) is about 56 minutes: everything slower lands in the last bucket. */
export const BUCKETS = 101;

/** Sparse: bucket index -> count. Small in JSON, since a bucket of requests spans few indexes. */
export type Histogram = Record<string, number>;

export function bucketOf(ms: number): number {
	if (!(ms >= BASE_MS)) return 0;
	return Math.min(BUCKETS - 1, Math.floor(Math.log(ms / BASE_MS) / Math.log(GROWTH)) + 1);
}

export function record(histogram: Histogram, ms: number, times = 1): void {
	const key = String(bucketOf(ms));
	histogram[key] = (histogram[key] ?? 0) + times;
}

export function merge(into: Histogram, from: Histogram): Histogram {
	for (const [key, value] of Object.entries(from)) into[key] = (into[key] ?? 0) + value;
	return into;
}

export function total(histogram: Histogram): number {
	let sum = 0;
	for (const value of Object.values(histogram)) sum += value;
	return sum;
}

/** The geometric middle of a bucket: the estimate a latency in it is reported as. */
export function representativeMs(index: number): number {
	if (index <= 0) return BASE_MS / 2;
	const low = BASE_MS * GROWTH ** (index - 1);
	return Math.round(low * Math.sqrt(GROWTH) * 100) / 100;
}

/** The q-quantile (0 < q <= 1) in ms; null for an empty histogram. */
export function quantile(histogram: Histogram, q: number): number | null {
	const entries = Object.entries(histogram)
		.map(([key, value]) => [Number(key), value] as const)
		.filter(([, value]) => value > 0)
		.sort((a, b) => a[0] - b[0]);
	const n = entries.reduce((sum, [, value]) => sum + value, 0);
	if (n === 0) return null;
	// The rank of the q-quantile, as in "nearest rank": the smallest value with at least q*n at or below it.
	const rank = Math.max(1, Math.ceil(q * n));
	let seen = 0;
	for (const [index, value] of entries) {
		seen += value;
		if (seen >= rank) return representativeMs(index);
	}
	return representativeMs(entries.at(-1)![0]);
}
