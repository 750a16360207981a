import type { AppRoute } from "../driver.js";
import { type CompiledRules, compileRules } from "./rules.js";

export interface Upstream {
	host: string;
	port: number;
}

/** What the builtin proxy looks up per request: host name -> the app and its upstreams. */
export interface RouteTable {
	readonly byHost: ReadonlyMap<string, { app: string; upstreams: readonly Upstream[]; rules?: CompiledRules | undefined }>;
}

export function buildRouteTable(routes: readonly AppRoute[]): RouteTable {
	const byHost = new Map<string, { app: string; upstreams: readonly Upstream[]; rules?: CompiledRules | undefined }>();
	for (const route of routes) {
		// Issue 6: compiled once per route swap, not per request.
		const rules = compileRules(route.rules);
		for (const host of route.hosts) byHost.set(host, { app: route.app, upstreams: route.upstreams, ...(rules ? { rules } : {}) });
	}
	return { byHost };
}

/** The Host header's name part, lowercased: `Hello.localhost:8080` -> `hello.localhost`, `[::1]:80` -> `::1`. */
export function hostOf(header: string | undefined): string {
	if (!header) return "";
	const value = header.trim().toLowerCase();
	if (value.startsWith("[")) return value.slice(1, value.indexOf("]") > 0 ? value.indexOf("]") : undefined);
	const colon = value.indexOf(":");
	const name = colon >= 0 ? value.slice(0, colon) : value;
	return name.endsWith(".") ? name.slice(0, -1) : name;
}

/** Round robin per app; the counters live outside the table so a route swap keeps the rotation going. */
export class RoundRobin {
	readonly #next = new Map<string, number>();

	pick(app: string, upstreams: readonly Upstream[]): Upstream {
		const index = this.#next.get(app) ?? 0;
		this.#next.set(app, (index + 1) % Number.MAX_SAFE_INTEGER);
		return upstreams[index % upstreams.length]!;
	}
}
