import { parsePathPattern, pathMapping, pathRegex } from "../../../core/protocol/path-pattern.js";
import type { AppRoute } from "../driver.js";
import { type HeaderOps, hstsValue, isEmpty, planRules, redirectStatuses, redirectText } from "../rule-plan.js";

// Issue 6: a route's HTTP rules as Caddy handlers, placed before the reverse proxy or
// the file server. Order as in Traefik's middleware chain: response headers (deferred,
// so they apply to whatever answers, redirects included), host redirects, path
// redirects, then one rewrite. Routes sharing a `group` are exclusive: the first
// matching one applies, like Traefik's router priority.

/** The handlers to put in front of a route's own; none when the route has no rules. */
export function renderCaddyRules(route: AppRoute): object[] {
	const rules = route.rules;
	if (!rules) return [];
	const plan = planRules(rules);
	const routes: object[] = [];
	for (const region of plan.regions) {
		if (!isEmpty(region.headers)) routes.push({ group: "headers", match: [{ path_regexp: { pattern: pathRegex(region.match) } }], handle: [headersHandler(region.headers)] });
	}
	if (!isEmpty(plan.everywhere)) routes.push({ group: "headers", handle: [headersHandler(plan.everywhere)] });
	if (rules.hsts) {
		routes.push({ match: [{ protocol: "https" }], handle: [headersHandler({ set: { "Strict-Transport-Security": hstsValue(rules.hsts) }, remove: [] })] });
	}
	rules.hostRedirects.forEach((rule, i) => {
		const name = `host_redirect_${i}`;
		// The port the client used, if any: Caddy's host matcher ignores it, the Location keeps it.
		const match = { host: [rule.from], header_regexp: { Host: { name, pattern: "^[^:]*(:[0-9]+)?$" } } };
		routes.push(...redirectRoutes(match, `{http.request.scheme}://${rule.to}{http.regexp.${name}.1}{http.request.uri}`, rule.status));
	});
	rules.redirects.forEach((rule, i) => {
		const name = `redirect_${i}`;
		const mapping = pathMapping(parsePathPattern(rule.from), rule.to, true);
		const match = { vars_regexp: { "{http.request.uri}": { name, pattern: `^${mapping.body}(\\?.*)?$` } } };
		const origin = /^https?:/.test(mapping.target) ? "" : "{http.request.scheme}://{http.request.hostport}";
		const rest = mapping.rest ? `{http.regexp.${name}.1}` : "";
		const query = `{http.regexp.${name}.${mapping.rest ? 2 : 1}}`;
		routes.push(...redirectRoutes(match, `${origin}${mapping.target}${rest}${query}`, rule.status));
	});
	for (const region of plan.regions) {
		if (!region.rewrite) continue;
		const mapping = pathMapping(region.rewrite.from, region.rewrite.to, false);
		routes.push({
			group: "rewrites",
			match: [{ path_regexp: { pattern: pathRegex(region.match) } }],
			// On the escaped path, as Traefik's replacePathRegex; `$1` ends the string, so it cannot read as `$1x`.
			handle: [{ handler: "rewrite", path_regexp: [{ find: `^${mapping.body}$`, replace: `${mapping.target}${mapping.rest ? "$1" : ""}` }] }],
		});
	}
	return routes.length > 0 ? [{ handler: "subroute", routes }] : [];
}

/** GET gets one status and other methods the other, as Traefik's redirect middleware answers. */
function redirectRoutes(match: object, location: string, status: 301 | 302 | 307 | 308): object[] {
	const { get, other } = redirectStatuses(status);
	const answer = (code: number) => ({ handler: "static_response", status_code: code, headers: { Location: [location] }, body: redirectText[code] });
	return [
		{ group: "redirects", match: [{ ...match, method: ["GET"] }], handle: [answer(get)] },
		{ group: "redirects", match: [match], handle: [answer(other)] },
	];
}

function headersHandler(ops: HeaderOps): object {
	const set = Object.fromEntries(Object.entries(ops.set).map(([name, value]) => [name, [literal(value)]]));
	// Deferred: applied when the response is written, so they replace (or remove) what the app sent.
	return { handler: "headers", response: { ...(Object.keys(set).length > 0 ? { set } : {}), ...(ops.remove.length > 0 ? { delete: ops.remove } : {}), deferred: true } };
}

/** A value Caddy must not read placeholders in: `{http.request.header.Cookie}` would echo a secret. */
function literal(value: string): string {
	return value.replace(/[{}]/g, "\\$&");
}
