import type { AppMetrics, BuildStats, MetricsPoint } from "../../core/protocol/metrics.js";
import { type Bucket, emptyBucket, mergeBucket, average } from "./bucket.js";
import { quantile } from "./histogram.js";
import { bucketStart, type Tier } from "./tiers.js";

/**
 * Shapes a tier's buckets into what `deploy metrics` and the Analytics view show:
 * every bucket of the range (empty ones too, so charts keep their time axis), and
 * totals whose percentiles come from the merged histogram of the whole range. Pure.
 */
export function appReport(app: string, tier: Tier, buckets: readonly Bucket[], fromMs: number, nowMs: number, builds: BuildStats): AppMetrics {
	const byStart = new Map(buckets.map((bucket) => [bucket.t, bucket]));
	const first = bucketStart(fromMs, tier);
	const last = bucketStart(nowMs, tier);
	const points: MetricsPoint[] = [];
	const instanceIds = new Set<string>();
	for (const bucket of buckets) for (const id of Object.keys(bucket.instances ?? {})) instanceIds.add(id);
	const instances = [...instanceIds].sort().map((id) => ({ id, points: [] as AppMetrics["instances"][number]["points"] }));
	const sum = emptyBucket(first);
	for (let t = first; t <= last; t += tier.bucketMs) {
		const bucket = byStart.get(t) ?? emptyBucket(t);
		mergeBucket(sum, bucket);
		points.push(point(bucket));
		for (const instance of instances) {
			const usage = bucket.instances?.[instance.id];
			instance.points.push({ t: new Date(t).toISOString(), cpuPercent: average(usage?.cpu), memoryBytes: roundOrNull(average(usage?.memory)) });
		}
	}
	const p50 = quantile(sum.latency, 0.5);
	return {
		app,
		from: new Date(first).toISOString(),
		to: new Date(nowMs).toISOString(),
		resolutionSeconds: tier.bucketMs / 1000,
		totals: {
			requests: sum.requests,
			s2xx: sum.s2xx,
			s3xx: sum.s3xx,
			s4xx: sum.s4xx,
			s5xx: sum.s5xx,
			bytes: sum.bytes,
			errorRatePercent: sum.requests ? Math.round((sum.s5xx / sum.requests) * 1000) / 10 : null,
			latencyMs: p50 === null ? null : { p50, p95: quantile(sum.latency, 0.95)!, p99: quantile(sum.latency, 0.99)! },
		},
		points,
		instances,
		builds,
	};
}

function point(bucket: Bucket): MetricsPoint {
	return {
		t: new Date(bucket.t).toISOString(),
		requests: bucket.requests,
		s2xx: bucket.s2xx,
		s3xx: bucket.s3xx,
		s4xx: bucket.s4xx,
		s5xx: bucket.s5xx,
		bytes: bucket.bytes,
		p50: quantile(bucket.latency, 0.5),
		p95: quantile(bucket.latency, 0.95),
		p99: quantile(bucket.latency, 0.99),
		cpuPercent: average(bucket.cpu),
		memoryBytes: roundOrNull(average(bucket.memory)),
	};
}

function roundOrNull(value: number | null): number | null {
	return value === null ? null : Math.round(value);
}
