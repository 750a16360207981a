import { join } from "node:path";

/**
 * Caddy's `srv` dynamic upstreams, answered by a small resolver beside it (issue 13,
 * item 4). A route names `<app>.upstreams.deploy.internal.`; the resolver says which
 * instances serve it. Going live, a rollback or a scale then changes that answer, not
 * Caddy's config, so Caddy never restarts its HTTP server for them: a config load closes
 * idle keep-alive connections, and a request sent on one at that instant is reset.
 */
export const upstreamZone = "upstreams.deploy.internal";

/**
 * Go refuses an all-numeric SRV target and resolves no name ending in a dot from
 * /etc/hosts, so each SRV target is one of these names, which the resolver also answers.
 */
export const loopbackTargets = { "127.0.0.1": "ipv4.loopback.deploy.internal", "::1": "ipv6.loopback.deploy.internal" } as const;

/**
 * How long Caddy keeps an answer before it asks again. A switch waits this long (plus
 * a margin) before it counts as done, so it is short; a lookup is one loopback datagram.
 */
export const upstreamRefreshMs = 250;
/** Caddy stamps its cache when the answer arrives, a little after the resolver sent it. */
export const upstreamRefreshMarginMs = 150;

export function upstreamName(app: string): string {
	return `${app}.${upstreamZone}.`;
}

/** The resolver's files, in the proxy folder beside Caddy's: written by the agent, read by the resolver. */
export function upstreamDnsPaths(proxyDir: string) {
	return {
		/** Which instances serve each app (./table.ts). */
		table: join(proxyDir, "upstreams.json"),
		/** The resolver's port on 127.0.0.1: chosen once, named in Caddy's config, so it never changes. */
		port: join(proxyDir, "upstream-dns.port"),
		pid: join(proxyDir, "upstream-dns.pid"),
		log: join(proxyDir, "upstream-dns.log"),
	};
}
