import type { EnvChangeSummary } from "../../core/protocol/env.js";
import type { EnvVars } from "./store.js";

/**
 * The variables after a change, and what it did (keys only). Pure: tested by equality.
 * A key both set and unset is set: the later, more specific intent wins.
 */
export function applyEnvChange(current: EnvVars, set: Record<string, string>, unset: string[], now: string): { vars: EnvVars; summary: EnvChangeSummary } {
	const vars: EnvVars = { ...current };
	const summary: EnvChangeSummary = { added: [], changed: [], removed: [], unchanged: [] };
	for (const key of unset) {
		if (Object.hasOwn(set, key)) continue;
		if (Object.hasOwn(vars, key)) {
			delete vars[key];
			summary.removed.push(key);
		}
	}
	for (const [key, value] of Object.entries(set)) {
		const before = vars[key];
		if (before?.value === value) {
			summary.unchanged.push(key);
			continue;
		}
		(before ? summary.changed : summary.added).push(key);
		vars[key] = { value, updatedAt: now };
	}
	for (const list of Object.values(summary)) list.sort();
	return { vars, summary };
}

export function describeChange(summary: EnvChangeSummary): string {
	const parts = [
		summary.added.length ? `added ${summary.added.join(", ")}` : "",
		summary.changed.length ? `changed ${summary.changed.join(", ")}` : "",
		summary.removed.length ? `removed ${summary.removed.join(", ")}` : "",
	].filter(Boolean);
	return parts.length ? parts.join("; ") : "no change";
}
