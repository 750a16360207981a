import { METRICS_RETENTION_SECONDS } from "../protocol/metrics.js";

const UNIT_SECONDS = { m: 60, h: 3600, d: 86_400 } as const;

/** What `--since` accepts: a count and a unit, like 15m, 1h, 24h, 7d, 30d. */
export const SINCE_PATTERN = /^(\d{1,5})([mhd])$/;

/** "24h" -> 86400; null when it is not a duration the agent keeps (1 minute to 30 days). Pure. */
export function sinceSeconds(text: string): number | null {
	const match = SINCE_PATTERN.exec(text.trim());
	if (!match) return null;
	const seconds = Number(match[1]) * UNIT_SECONDS[match[2] as keyof typeof UNIT_SECONDS];
	return seconds >= 60 && seconds <= METRICS_RETENTION_SECONDS ? seconds : null;
}
