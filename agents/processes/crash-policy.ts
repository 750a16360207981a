/**
 * What the supervisor does when an instance exits on its own. Pure: tested by equality.
 *
 * - Restart after an exponential delay with "equal jitter" (half fixed, half random),
 *   so instances that crashed together do not restart in lockstep.
 * - A run that lasted STABLE_MS or more resets the count: the app was fine for a while.
 * - CRASH_LOOP_LIMIT crashes in a row, each within STABLE_MS of its start, is a crash
 *   loop: the instance is marked `crashed` and left alone (no busy loop, no log flood).
 */
export const STABLE_MS = 60_000;
export const CRASH_LOOP_LIMIT = 5;
export const MAX_BACKOFF_MS = 30_000;

/** The delay before restart number `crashes` (1 = after the first crash). */
export function backoffMs(crashes: number, random: () => number = Math.random, baseMs = 1_000, maxMs = MAX_BACKOFF_MS): number {
	const ceiling = Math.min(baseMs * 2 ** Math.max(0, crashes - 1), maxMs);
	return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export type CrashDecision = { action: "restart"; crashes: number; delayMs: number } | { action: "give-up"; crashes: number };

export interface CrashPolicy {
	limit: number;
	stableMs: number;
	baseMs: number;
	random: () => number;
}

export const defaultCrashPolicy = (baseMs = 1_000): CrashPolicy => ({ limit: CRASH_LOOP_LIMIT, stableMs: STABLE_MS, baseMs, random: Math.random });

/** `previousCrashes`: crashes in a row before this one; `ranMs`: how long the run that just ended lasted. */
export function decideAfterCrash(previousCrashes: number, ranMs: number, policy: CrashPolicy): CrashDecision {
	const crashes = (ranMs >= policy.stableMs ? 0 : previousCrashes) + 1;
	if (crashes >= policy.limit) return { action: "give-up", crashes };
	return { action: "restart", crashes, delayMs: backoffMs(crashes, policy.random, policy.baseMs) };
}
