import * as z from "zod";
import { appName, DeployError } from "../../core/protocol/index.js";
import { routeRules } from "../../core/protocol/routing.js";
import type { AppRoute } from "./driver.js";

const label = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?";
/** Exact DNS names only: they end up inside Caddy JSON and Traefik rules, so nothing that could escape them. */
const hostName = z
	.string()
	.trim()
	.toLowerCase()
	.max(253)
	.regex(new RegExp(`^${label}(?:\\.${label})*$`), "must be a host name such as app.example.com (no port, no wildcard)");

/** Upstreams are the app's instances on this server: loopback only, never a remote address. */
const upstream = z.object({
	host: z.enum(["127.0.0.1", "::1"]),
	port: z.number().int().min(1).max(65535),
});

/** A static site's folder: absolute, and nothing a proxy config could read as anything but a path. */
const staticSite = z.object({
	root: z.string().startsWith("/").max(4096).regex(/^[^\0\n\r{}"]+$/, "must be a plain absolute path"),
	spa: z.boolean(),
});

/**
 * Issue 17: the route of the server's HTTPS API (agents/api/): not an app, so named what
 * no app can be (an app name has no `_`); the drivers render it as any app's route.
 */
export const API_ROUTE = "_api";

export const appRoute = z
	.object({
		app: z.union([appName, z.literal(API_ROUTE)]),
		hosts: z.array(hostName).min(1).max(100),
		upstreams: z.array(upstream).max(64),
		static: staticSite.optional(),
		tlsHosts: z.array(hostName).max(100).optional(),
		rules: routeRules.optional(),
	})
	.refine((route) => route.upstreams.length > 0 || route.static !== undefined, { message: "needs at least one upstream (or a static folder)", path: ["upstreams"] });

/** Validates a route at the boundary (the agent's call, a stored file) and normalizes host case. */
export function parseRoute(value: unknown, source = "route"): AppRoute {
	const result = appRoute.safeParse(value);
	if (result.success) return result.data;
	const issues = result.error.issues.map((issue) => `${issue.path.join("/") || "(root)"}: ${issue.message}`);
	throw new DeployError("INVALID_ROUTE", `The ${source} is not a valid proxy route.`, "This is a bug in the agent; report it.", issues);
}

/** A host belongs to one app: a second app claiming it is refused rather than silently shadowed. */
export function assertHostsFree(routes: readonly AppRoute[], route: AppRoute): void {
	for (const other of routes) {
		if (other.app === route.app) continue;
		const taken = route.hosts.find((host) => other.hosts.includes(host));
		if (taken) {
			throw new DeployError(
				"HOST_IN_USE",
				`The host ${taken} already routes to the app ${other.app}.`,
				`Remove it from ${other.app}'s domains first, or pick another host for ${route.app}.`,
			);
		}
	}
}

/** The route set with `route` added or replaced, sorted by app so rendered configs are stable. */
export function withRoute(routes: readonly AppRoute[], route: AppRoute): AppRoute[] {
	assertHostsFree(routes, route);
	return sortRoutes([...routes.filter((r) => r.app !== route.app), route]);
}

export function withoutRoute(routes: readonly AppRoute[], app: string): AppRoute[] {
	return routes.filter((r) => r.app !== app);
}

export function sortRoutes(routes: AppRoute[]): AppRoute[] {
	return routes.sort((a, b) => (a.app < b.app ? -1 : a.app > b.app ? 1 : 0));
}

/** `host:port` as a dialer wants it (IPv6 in brackets). */
export function hostPort(host: string, port: number): string {
	return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}
