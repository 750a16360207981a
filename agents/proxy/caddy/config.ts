import { join } from "node:path";
import type { ServerSetup } from "../../../core/protocol/index.js";
import { dialRetry } from "../dial-retry.js";
import type { AppRoute } from "../driver.js";
import { hostPort } from "../route.js";
import { httpHostsOf, renderedTlsHosts } from "../tls.js";
import { withAccessLog } from "./access-log.js";
import { renderCaddyRules } from "./rules.js";
import { renderStaticHandlers } from "./static.js";
import { httpsRedirectRoute, renderTlsApp, renderTlsServer } from "./tls.js";
import { upstreamName, upstreamRefreshMs } from "./upstream-dns/names.js";

/** Where the Caddy driver keeps its files inside the agent's proxy folder. */
export function caddyPaths(dir: string) {
	return {
		config: join(dir, "caddy.json"),
		// A unix socket, not :2019: several agents (and their Caddys) share one test machine.
		adminSocket: join(dir, "caddy-admin.sock"),
		data: join(dir, "data"),
		log: join(dir, "caddy.log"),
		pid: join(dir, "caddy.pid"),
		routes: join(dir, "routes"),
		/** The PEM the server was added with (`--acme-ca-root`): Caddy reads trusted roots from files only. */
		acmeCaRoot: join(dir, "acme-ca-root.pem"),
	};
}

/**
 * The Host our admin requests carry. Caddy checks it against admin.origins; its default
 * for a unix socket is the empty host, which node:http cannot send.
 */
export const adminOrigin = "caddy-admin";

export const notFoundBody = "No app is deployed at this address.\n";

/**
 * The whole Caddy config for a route set: pure, so it is tested by equality and Caddy
 * swaps it atomically on /load. Two servers: `deploy` on the HTTP port (plain-HTTP
 * hosts, and a redirect to HTTPS for TLS hosts) and, once a route has TLS hosts,
 * `deploy-tls` on the HTTPS port with certificates from the server's ACME CA
 * (agents/proxy/caddy/tls.ts). Redirects are ours, not Caddy's automatic ones, so
 * hosts without TLS are never redirected, and a TLS host only once `certified` holds it
 * (issue 14, agents/proxy/tls.ts httpHostsOf). With `upstreamDns` (the resolver's port),
 * each app's instances come from the resolver (./upstream-dns/); the route's upstreams
 * stay as the fallback for when the resolver does not answer.
 */
export function renderCaddyConfig(setup: ServerSetup, dir: string, routes: readonly AppRoute[], upstreamDns?: number, certified?: ReadonlySet<string>): object {
	const paths = caddyPaths(dir);
	const split = routes.map((route) => ({ route, tlsHosts: renderedTlsHosts(setup, route) }));
	const allTlsHosts = split.flatMap((s) => s.tlsHosts);
	const http = split.map(({ route, tlsHosts }) => ({ route, ...httpHostsOf(route, tlsHosts, certified) }));
	const plain = http.flatMap(({ route, served }) => (served.length > 0 ? [renderRoute(route, served, "http", upstreamDns)] : []));
	const redirected = http.flatMap((h) => h.redirected);
	const redirects = redirected.length > 0 ? [httpsRedirectRoute(redirected, setup.httpsPort)] : [];
	const secure = split.flatMap(({ route, tlsHosts }) => (tlsHosts.length > 0 ? [renderRoute(route, tlsHosts, "tls", upstreamDns)] : []));
	// Issue 7: JSON access logs for the agent's metrics (./access-log.ts).
	return withAccessLog(dir, {
		admin: { listen: `unix/${paths.adminSocket}`, origins: [adminOrigin], config: { persist: false } },
		storage: { module: "file_system", root: paths.data },
		apps: {
			http: {
				// Which ports are HTTP and HTTPS, for the ACME challenge solvers and Caddy's own URL building.
				http_port: setup.httpPort,
				https_port: setup.httpsPort,
				servers: {
					deploy: {
						listen: [`:${setup.httpPort}`],
						// Certificates are managed for the TLS server's hosts only; this one never redirects on its own.
						automatic_https: { disable: true },
						routes: [...redirects, ...plain, notFoundRoute()],
					},
					...(secure.length > 0 ? { "deploy-tls": renderTlsServer(setup, [...secure, notFoundRoute()]) } : {}),
				},
			},
			...(allTlsHosts.length > 0 ? { tls: renderTlsApp(setup, paths, allTlsHosts) } : {}),
		},
	});
}

function renderRoute(route: AppRoute, hosts: string[], scheme: "http" | "tls", upstreamDns: number | undefined): object {
	// Every plain id starts with "app-", so no app's TLS id can equal another app's plain one.
	const id = scheme === "tls" ? `tls-app-${route.app}` : `app-${route.app}`;
	if (route.static) return { "@id": id, match: [{ host: hosts }], handle: [...renderCaddyRules(route), ...renderStaticHandlers(route.static)], terminal: true };
	return {
		"@id": id,
		match: [{ host: hosts }],
		handle: [
			// Issue 6: redirects, rewrites and headers first (./rules.ts).
			...renderCaddyRules(route),
			{
				handler: "reverse_proxy",
				upstreams: route.upstreams.map((upstream) => ({ dial: hostPort(upstream.host, upstream.port) })),
				...(upstreamDns === undefined ? {} : dynamicUpstreams(route.app, upstreamDns)),
				// A refused dial is retried (on the next instance) until try_duration (../dial-retry.ts).
				load_balancing: { selection_policy: { policy: "round_robin" }, try_duration: `${dialRetry.totalMs}ms`, try_interval: `${dialRetry.intervalMs}ms` },
			},
		],
		terminal: true,
	};
}

/**
 * The app's instances from the resolver's SRV answer, asked again every upstreamRefreshMs;
 * the targets it names are resolved by the same resolver.
 */
function dynamicUpstreams(app: string, port: number): object {
	const resolver = { addresses: [`udp/127.0.0.1:${port}`] };
	return {
		dynamic_upstreams: { source: "srv", name: upstreamName(app), refresh: `${upstreamRefreshMs}ms`, resolver },
		transport: { protocol: "http", resolver },
	};
}

function notFoundRoute(): object {
	return {
		handle: [
			{
				handler: "static_response",
				status_code: 404,
				headers: { "Content-Type": ["text/plain; charset=utf-8"] },
				body: notFoundBody,
			},
		],
	};
}
