import * as z from "zod";
import { parseDuration } from "./duration.js";
import { appName, deploymentId } from "./names.js";

// issue 7: the agent's RPC methods for metrics and alerts. Spread into core/protocol/methods.ts;
// this file is the whole wire contract of the area.

/** A webhook the agent may POST to: http(s) only, so no file:, data: or other scheme reaches fetch. */
export const webhookUrl = z.url({ protocol: /^https?$/, hostname: z.regexes.hostname, error: "must be an http:// or https:// URL" }).max(2000);

/**
 * Alert thresholds as the agent receives them (deploy.yaml's `alerts`). Without them the
 * agent evaluates these same defaults and records alerts; only a webhook sends them anywhere.
 */
export const alertsSpec = z.object({
	enabled: z.boolean().default(true),
	webhook: webhookUrl.optional(),
	errorRatePercent: z.number().min(0.1).max(100).default(5),
	p95Ms: z.number().int().min(1).max(600_000).default(1000),
	diskFreePercent: z.number().min(0).max(99).default(10),
	crashLoop: z.boolean().default(true),
	windowSeconds: z.number().int().min(30).max(3600).default(300),
});
export type AlertsSpec = z.infer<typeof alertsSpec>;
export const defaultAlerts: AlertsSpec = alertsSpec.parse({});

/** The keys this area adds to AppSpec (core/protocol/spec.ts spreads them in). */
export const appMetricsSpec = {
	/** Absent: the defaults of `alertsSpec`, with no webhook. Kept optional so existing releases' specs hash the same. */
	alerts: alertsSpec.optional(),
};

const count = z.number().int().min(0);
const nullableNumber = z.number().nullable();

/** One time bucket of an app: traffic from the proxy's access log, CPU and memory summed over its instances. */
export const metricsPoint = z.object({
	/** The bucket's start, ISO 8601. */
	t: z.string(),
	requests: count,
	s2xx: count,
	s3xx: count,
	s4xx: count,
	s5xx: count,
	/** Response bytes sent to clients. */
	bytes: z.number().min(0),
	/** Latency percentiles in ms, from the bucket's histogram; null without requests. */
	p50: nullableNumber,
	p95: nullableNumber,
	p99: nullableNumber,
	/** Percent of one core used by all the app's instances together (average over the bucket); null when not sampled. */
	cpuPercent: nullableNumber,
	memoryBytes: nullableNumber,
});
export type MetricsPoint = z.infer<typeof metricsPoint>;

export const instancePoint = z.object({ t: z.string(), cpuPercent: nullableNumber, memoryBytes: nullableNumber });

export const buildStats = z.object({
	total: count,
	succeeded: count,
	failed: count,
	/** Succeeded / (succeeded + failed); null without finished deployments. */
	successRatePercent: nullableNumber,
	/** Seconds from record to live (or failure), over finished deployments. */
	durationSeconds: z.object({ p50: z.number(), p95: z.number(), max: z.number() }).nullable(),
	/** The newest finished deployments of the range, newest first (at most 50). */
	recent: z.array(z.object({ id: deploymentId, status: z.string(), createdAt: z.string(), durationSeconds: z.number(), unchanged: z.boolean() })),
});
export type BuildStats = z.infer<typeof buildStats>;

export const appMetrics = z.object({
	app: appName,
	/** The range asked for, and the bucket size that answers it (10 s, 1 min or 1 h). */
	from: z.string(),
	to: z.string(),
	resolutionSeconds: z.number().int(),
	totals: z.object({
		requests: count,
		s2xx: count,
		s3xx: count,
		s4xx: count,
		s5xx: count,
		bytes: z.number().min(0),
		/** 5xx / requests, in percent; null without requests. */
		errorRatePercent: nullableNumber,
		/** From the merged histogram of every bucket in the range, not an average of percentiles. */
		latencyMs: z.object({ p50: z.number(), p95: z.number(), p99: z.number() }).nullable(),
	}),
	/** Every bucket of the range, oldest first; a bucket without data has zero requests and null CPU. */
	points: z.array(metricsPoint),
	/** Per instance ("web.1" is the web process's first instance by port), same buckets. */
	instances: z.array(z.object({ id: z.string(), points: z.array(instancePoint) })),
	builds: buildStats,
});
export type AppMetrics = z.infer<typeof appMetrics>;

export const alertKind = z.enum(["error-rate", "latency", "crash-loop", "disk"]);
export type AlertKind = z.infer<typeof alertKind>;

/** One transition of an alert: it fires once when its condition starts and once when it ends. */
export const alertRecord = z.object({
	at: z.string(),
	app: appName,
	kind: alertKind,
	state: z.enum(["firing", "resolved"]),
	message: z.string(),
	value: nullableNumber,
	threshold: z.number(),
	/** What happened to the webhook POST; `none` when the app has no webhook. Never the URL: it may hold a token. */
	delivery: z.object({
		status: z.enum(["none", "pending", "sent", "failed"]),
		attempts: count,
		error: z.string().optional(),
	}),
});
export type AlertRecord = z.infer<typeof alertRecord>;

/** Longest range kept: 30 days. */
export const METRICS_RETENTION_SECONDS = 30 * 24 * 3600;

/** "24h" -> 86400; null unless a count and a unit (m, h, d) the agent keeps (1 minute to 30 days). Pure. */
export function sinceSeconds(text: string): number | null {
	if (!/^\d{1,5}[mhd]$/.test(text.trim())) return null;
	const seconds = (parseDuration(text) ?? 0) / 1000;
	return seconds >= 60 && seconds <= METRICS_RETENTION_SECONDS ? seconds : null;
}

/** What `deploy metrics --since` (and the api's `since`) accepts: a count and a unit, like 15m, 1h, 24h, 7d, 30d. */
export const metricsSince = z.string().refine((text) => sinceSeconds(text) !== null, "must be a duration from 1m to 30d, like 1h, 24h or 30d");

export const metricsMethods = {
	"metrics.get": {
		/** The app's metrics over the last `sinceSeconds` (every app of the server without `app`). */
		params: z.object({ app: appName.optional(), sinceSeconds: z.number().int().min(60).max(METRICS_RETENTION_SECONDS).default(3600) }),
		result: z.array(appMetrics),
	},
	"metrics.alerts": {
		/** Alerts firing now and the recorded transitions, newest first. */
		params: z.object({ app: appName.optional(), limit: z.number().int().min(1).max(1000).default(50) }),
		result: z.object({ firing: z.array(alertRecord), history: z.array(alertRecord) }),
	},
} as const satisfies Record<string, { params: z.ZodType; result: z.ZodType }>;
