// Issue 17, item 3: how many failed logins are let through. Per account: 5 failures in
// 15 minutes lock it for 15 minutes (counted by the address typed, known or not, so a
// lockout tells nothing about which addresses exist). Per client address (the proxy's
// last X-Forwarded-For): 20 failures in 15 minutes block it for 15 minutes, whatever
// accounts it tries. Kept in memory: a restarted daemon forgets them (documented).
import { DeployError } from "../../core/protocol/errors.js";

export interface LimitRule {
	failures: number;
	windowMs: number;
	lockMs: number;
}

export const ACCOUNT_RULE: LimitRule = { failures: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000 };
export const ADDRESS_RULE: LimitRule = { failures: 20, windowMs: 15 * 60_000, lockMs: 15 * 60_000 };
/** Keys remembered at most per limiter: an attacker cycling addresses cannot grow the daemon's memory past this. */
const MAX_KEYS = 10_000;

/** A refusal that says when to come back (the HTTP answer's Retry-After). */
export class RateLimitedError extends DeployError {
	constructor(
		message: string,
		readonly retryAfterSeconds: number,
	) {
		const wait = retryAfterSeconds < 60 ? `${retryAfterSeconds} s` : `${Math.ceil(retryAfterSeconds / 60)} min`;
		super("LOGIN_RATE_LIMITED", message, `Try again in ${wait}; an owner of your team can send a new invite (\`deploy team invite <you>\`) if the password is lost.`);
	}
}

interface Entry {
	failures: number[];
	lockedUntil: number;
}

export class FailureLimiter {
	readonly #entries = new Map<string, Entry>();

	constructor(private readonly rule: LimitRule) {}

	/** Seconds until `key` may try again; 0 when it may now. */
	retryAfter(key: string, now: number): number {
		const entry = this.#entries.get(key);
		return entry && entry.lockedUntil > now ? Math.ceil((entry.lockedUntil - now) / 1000) : 0;
	}

	/** Counts a failure; true when it just locked the key. */
	fail(key: string, now: number): boolean {
		const entry = this.#entries.get(key) ?? { failures: [], lockedUntil: 0 };
		this.#entries.delete(key);
		entry.failures = [...entry.failures.filter((t) => now - t < this.rule.windowMs), now];
		const locks = entry.failures.length >= this.rule.failures && entry.lockedUntil <= now;
		if (locks) {
			entry.lockedUntil = now + this.rule.lockMs;
			entry.failures = [];
		}
		// Re-inserted last: the Map's first key is the one touched longest ago, dropped first.
		this.#entries.set(key, entry);
		if (this.#entries.size > MAX_KEYS) this.#entries.delete(this.#entries.keys().next().value!);
		return locks;
	}

	/** A success forgets the key's failures. */
	succeed(key: string): void {
		this.#entries.delete(key);
	}
}
