import { parseDuration } from "../protocol/duration.js";
import { METRICS_RETENTION_SECONDS } from "../protocol/metrics.js";

/** What `--since` accepts: a count and a unit, like 15m, 1h, 24h, 7d, 30d. */
export const SINCE_PATTERN = /^(\d{1,5})([mhd])$/;

/** "24h" -> 86400; null when it is not a duration the agent keeps (1 minute to 30 days). Pure. */
export function sinceSeconds(text: string): number | null {
	const match = SINCE_PATTERN.exec(text.trim());
	if (!match) return null;
	const seconds = (parseDuration(text) ?? 0) / 1000;
	return seconds >= 60 && seconds <= METRICS_RETENTION_SECONDS ? seconds : null;
}
