import { parseDuration } from "../protocol/duration.js";
import { DeployError } from "../protocol/index.js";

/**
 * `--since`: an ISO time (`2026-11-27T06:00:00Z`, or a date) or a duration back from
 * `now` (`90s`, `10m`, `2h`, `1d`), as the ISO time the agent filters by.
 */
export function resolveSince(value: string, now = Date.now()): string {
	const duration = /^\d+\s*[smhd]$/i.test(value.trim()) ? parseDuration(value) : null;
	if (duration !== null) return new Date(now - duration).toISOString();
	const time = Date.parse(value);
	if (/^\d{4}-\d\d-\d\d/.test(value) && Number.isFinite(time)) return new Date(time).toISOString();
	throw new DeployError("BAD_ARGUMENT", `--since ${value} is neither a time nor a duration.`, "Use an ISO time like 2026-11-27T06:00:00Z, or a duration like 10m, 2h or 1d.");
}
