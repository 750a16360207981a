import { escapeRegex, parsePathPattern, pathMapping, pathRegex } from "../../../core/protocol/path-pattern.js";
import type { AppRoute } from "../driver.js";
import { type HeaderOps, isEmpty, planRules } from "../rule-plan.js";

// Issue 6: a route's HTTP rules as Traefik middlewares in the app's dynamic file.
// Chain order as in Caddy: headers (they wrap the response, so redirects carry them
// too), host redirects, path redirects, one rewrite. A middleware applies to every
// request of its router, so path-scoped rules get routers of their own: one per
// region (agents/proxy/rule-plan.ts), above the app's router by priority. Names are
// `<app>_...`: app names have no `_`, so no app's names can meet another's.

interface Router {
	rule: string;
	service: string;
	middlewares?: string[];
	priority?: number;
	[key: string]: unknown;
}

interface Dynamic {
	http: { routers: Record<string, Router>; middlewares?: Record<string, object>; [key: string]: unknown };
}

/** The dynamic configuration with the route's rules added to every router that serves the app. */
export function withTraefikRules<T extends object>(route: AppRoute, rendered: T): T {
	const config = rendered as T & Dynamic;
	const rules = route.rules;
	if (!rules) return rendered;
	const plan = planRules(rules);
	const middlewares: Record<string, object> = { ...config.http.middlewares };
	const add = (name: string, middleware: object) => {
		middlewares[name] = middleware;
		return name;
	};
	const hsts = rules.hsts ? { stsSeconds: rules.hsts.maxAge, stsIncludeSubdomains: rules.hsts.includeSubDomains, stsPreload: rules.hsts.preload } : {};
	const headers = (name: string, ops: HeaderOps) => (isEmpty(ops) && !rules.hsts ? [] : [add(name, { headers: { ...customHeaders(ops), ...hsts } })]);
	const redirects = [
		...rules.hostRedirects.map((rule, i) =>
			add(`${route.app}_host-redirect-${i}`, {
				// Traefik matches scheme://host[:port]/path?query; the port and the rest are kept.
				redirectRegex: { regex: `^(https?)://${escapeRegex(rule.from)}(:[0-9]+)?(/.*)?$`, replacement: `${group(1)}://${rule.to}${group(2)}${group(3)}`, permanent: permanent(rule.status) },
			}),
		),
		...rules.redirects.map((rule, i) => {
			const mapping = pathMapping(parsePathPattern(rule.from), rule.to, true);
			const origin = /^https?:/.test(mapping.target) ? "" : group(1);
			const replacement = `${origin}${mapping.target}${mapping.rest ? group(2) : ""}${group(mapping.rest ? 3 : 2)}`;
			return add(`${route.app}_redirect-${i}`, { redirectRegex: { regex: `^(https?://[^/]+)${mapping.body}(\\?.*)?$`, replacement, permanent: permanent(rule.status) } });
		}),
	];
	const rewrites = rules.rewrites.map((rule, i) => {
		const mapping = pathMapping(parsePathPattern(rule.from), rule.to, false);
		return add(`${route.app}_rewrite-${i}`, { replacePathRegex: { regex: `^${mapping.body}$`, replacement: `${mapping.target}${mapping.rest ? group(1) : ""}` } });
	});
	const everywhere = headers(`${route.app}_headers`, plan.everywhere);
	const routers: Record<string, Router> = {};
	for (const [name, router] of Object.entries(config.http.routers)) {
		routers[name] = router;
		if (router.service !== route.app || redirectsToHttps(router, middlewares)) continue;
		const own = router.middlewares ?? [];
		routers[name] = { ...router, middlewares: [...own, ...everywhere, ...redirects] };
		// Above the app's router (Traefik's default priority is the rule's length), heaviest region first.
		const base = router.priority ?? router.rule.length;
		plan.regions.forEach((region, k) => {
			routers[`${name}_path-${k}`] = {
				// A copy, not shared arrays: YAML would write shared ones as anchors.
				...structuredClone(router),
				rule: `(${router.rule}) && PathRegexp(\`${pathRegex(region.match)}\`)`,
				priority: base + 1 + region.weight,
				middlewares: [
					...own,
					...headers(`${route.app}_headers-${k}`, region.headers),
					...redirects,
					...(region.rewrite ? [rewrites[region.rewrite.index]!] : []),
				],
			};
		});
	}
	return { ...config, http: { ...config.http, routers, ...(Object.keys(middlewares).length > 0 ? { middlewares } : {}) } };
}

/** Group n in Go's replacement syntax: always braced, since `$1x` would read as a group named "1x". */
export function group(n: number): string {
	return `$${"{"}${n}}`;
}

/** Traefik's redirect middlewares know only permanent or not; the status then depends on the method. */
function permanent(status: number): boolean {
	return status === 301 || status === 308;
}

/** Empty values are how Traefik removes a header. */
function customHeaders(ops: HeaderOps): object {
	const custom: Record<string, string> = { ...ops.set };
	for (const name of ops.remove) custom[name] = "";
	return Object.keys(custom).length > 0 ? { customResponseHeaders: custom } : {};
}

/** A router that only sends HTTP to HTTPS: nothing of the app answers there, so no rule applies. */
function redirectsToHttps(router: Router, middlewares: Record<string, object>): boolean {
	return (router.middlewares ?? []).some((name) => "redirectScheme" in (middlewares[name] ?? {}));
}
