/**
 * How long a proxy keeps trying to reach an app instance that refuses the connection,
 * before it answers 502. An instance that is (re)starting — after a crash, a server
 * reboot, or while the proxy itself came up first — listens a moment later; a request
 * that arrives then waits instead of failing. A failed dial is retried for any
 * request, since nothing reached the app; a request that did reach one is not sent
 * again (it may not be idempotent), except that Caddy repeats a GET that got no
 * answer at all (its default: GET is safe to repeat).
 */
export const dialRetry = {
	/** The longest a request waits for an instance to accept its connection. */
	totalMs: 5_000,
	/** The pause between two dials. */
	intervalMs: 250,
} as const;
