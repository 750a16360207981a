import type { AlertKind, AlertsSpec } from "../../core/protocol/metrics.js";

/** Below this many requests in the window, a rate or a p95 says nothing: no error-rate or latency alert. */
export const MIN_REQUESTS = 10;

/** What the window shows for one app (requests and p95 over `windowSeconds`; crash loops and disk now). */
export interface WindowStats {
	requests: number;
	s5xx: number;
	p95Ms: number | null;
	/** Instances the supervisor gave up on ("web.1"). */
	crashLooped: string[];
	/** Free space of the agent's disk, in percent; null when unknown. */
	diskFreePercent: number | null;
}

export interface Condition {
	kind: AlertKind;
	value: number | null;
	threshold: number;
	message: string;
}

/** The alert conditions that hold now. Pure: the tracker turns changes of this set into firing/resolved. */
export function activeConditions(spec: AlertsSpec, stats: WindowStats): Condition[] {
	if (!spec.enabled) return [];
	const conditions: Condition[] = [];
	const window = `over the last ${spec.windowSeconds} s`;
	if (stats.requests >= MIN_REQUESTS) {
		const rate = Math.round((stats.s5xx / stats.requests) * 1000) / 10;
		if (rate >= spec.errorRatePercent) {
			conditions.push({
				kind: "error-rate",
				value: rate,
				threshold: spec.errorRatePercent,
				message: `${rate}% of requests answered 5xx ${window} (${stats.s5xx} of ${stats.requests}; threshold ${spec.errorRatePercent}%).`,
			});
		}
		if (stats.p95Ms !== null && stats.p95Ms >= spec.p95Ms) {
			conditions.push({ kind: "latency", value: stats.p95Ms, threshold: spec.p95Ms, message: `p95 latency is ${stats.p95Ms} ms ${window} (threshold ${spec.p95Ms} ms).` });
		}
	}
	if (spec.crashLoop && stats.crashLooped.length > 0) {
		conditions.push({
			kind: "crash-loop",
			value: stats.crashLooped.length,
			threshold: 1,
			message: `${stats.crashLooped.join(", ")} crashed repeatedly and ${stats.crashLooped.length === 1 ? "is" : "are"} no longer restarted.`,
		});
	}
	if (stats.diskFreePercent !== null && stats.diskFreePercent < spec.diskFreePercent) {
		conditions.push({
			kind: "disk",
			value: stats.diskFreePercent,
			threshold: spec.diskFreePercent,
			message: `Only ${stats.diskFreePercent}% of the server's disk is free (threshold ${spec.diskFreePercent}%).`,
		});
	}
	return conditions;
}
