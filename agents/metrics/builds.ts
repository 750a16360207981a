import type { DeploymentRecord } from "../../core/protocol/index.js";
import type { BuildStats } from "../../core/protocol/metrics.js";

const SUCCEEDED = new Set(["live", "superseded"]);
const FAILED = new Set(["failed", "interrupted"]);

/**
 * Build times and success rate from the agent's deployment records (the source of
 * truth): deployments created since `fromMs` that finished. A deployment's time is
 * from its record to live or failure (install, build, start, health check). Pure.
 */
export function buildStats(records: readonly DeploymentRecord[], fromMs: number): BuildStats {
	const finished = records
		.filter((record) => Date.parse(record.createdAt) >= fromMs && record.finishedAt && (SUCCEEDED.has(record.status) || FAILED.has(record.status)))
		.map((record) => ({
			id: record.id,
			status: record.status,
			createdAt: record.createdAt,
			durationSeconds: Math.max(0, Math.round((Date.parse(record.finishedAt!) - Date.parse(record.createdAt)) / 100) / 10),
			unchanged: record.unchanged === true,
		}))
		.sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1));
	const succeeded = finished.filter((entry) => SUCCEEDED.has(entry.status)).length;
	const failed = finished.length - succeeded;
	const durations = finished.map((entry) => entry.durationSeconds).sort((a, b) => a - b);
	const rank = (q: number) => durations[Math.max(0, Math.ceil(q * durations.length) - 1)]!;
	return {
		total: finished.length,
		succeeded,
		failed,
		successRatePercent: finished.length ? Math.round((succeeded / finished.length) * 1000) / 10 : null,
		durationSeconds: durations.length ? { p50: rank(0.5), p95: rank(0.95), max: durations.at(-1)! } : null,
		recent: finished.slice(0, 50),
	};
}
