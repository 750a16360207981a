import { join } from "node:path";
import type { ServerSetup } from "../../../core/protocol/index.js";
import type { AppRoute } from "../driver.js";
import { hostPort } from "../route.js";
import { renderStaticHandlers } from "./static.js";

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
 * swaps it atomically on /load. TLS is off for now, and with it everything that would
 * reach the internet (ACME, HTTP->HTTPS redirects).
 */
export function renderCaddyConfig(setup: ServerSetup, dir: string, routes: readonly AppRoute[]): object {
	const paths = caddyPaths(dir);
	return {
		admin: { listen: `unix/${paths.adminSocket}`, origins: [adminOrigin], config: { persist: false } },
		storage: { module: "file_system", root: paths.data },
		apps: {
			http: {
				servers: {
					deploy: {
						listen: [`:${setup.httpPort}`],
						automatic_https: { disable: true },
						routes: [...routes.map(renderRoute), notFoundRoute()],
					},
				},
			},
		},
	};
}

function renderRoute(route: AppRoute): object {
	if (route.static) return { "@id": `app-${route.app}`, match: [{ host: route.hosts }], handle: renderStaticHandlers(route.static), terminal: true };
	return {
		"@id": `app-${route.app}`,
		match: [{ host: route.hosts }],
		handle: [
			{
				handler: "reverse_proxy",
				upstreams: route.upstreams.map((upstream) => ({ dial: hostPort(upstream.host, upstream.port) })),
				load_balancing: { selection_policy: { policy: "round_robin" } },
			},
		],
		terminal: true,
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
