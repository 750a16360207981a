import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import { parsePathPattern, pathMapping, pathRegex } from "../../../core/protocol/path-pattern.js";
import type { RouteRules } from "../../../core/protocol/routing.js";
import { type HeaderOps, planRules, redirectStatuses, redirectText } from "../rule-plan.js";

// Issue 6: the HTTP rules in the builtin proxy (local previews), from the same plan and
// regexes the Caddy and Traefik renderers use, so a preview behaves like the server.
// The builtin proxy speaks plain HTTP only: HSTS never applies here.

interface Redirect {
	regex: RegExp;
	/** Builds the Location from the match and the request's Host header. */
	location: (match: RegExpExecArray, host: string) => string;
	status: 301 | 302 | 307 | 308;
}

export interface CompiledRules {
	hostRedirects: { from: string; to: string; status: 301 | 302 | 307 | 308 }[];
	redirects: Redirect[];
	regions: { match: RegExp; headers: HeaderOps; rewrite?: { regex: RegExp; target: string; rest: boolean } }[];
	everywhere: HeaderOps;
}

export function compileRules(rules: RouteRules | undefined): CompiledRules | undefined {
	if (!rules) return undefined;
	const plan = planRules(rules);
	return {
		hostRedirects: rules.hostRedirects,
		redirects: rules.redirects.map((rule) => {
			const mapping = pathMapping(parsePathPattern(rule.from), rule.to, true);
			const absolute = /^https?:/.test(mapping.target);
			return {
				regex: new RegExp(`^${mapping.body}(\\?.*)?$`),
				location: (match, host) => `${absolute ? "" : `http://${host}`}${mapping.target}${mapping.rest ? (match[1] ?? "") : ""}${match[mapping.rest ? 2 : 1] ?? ""}`,
				status: rule.status,
			};
		}),
		regions: plan.regions.map((region) => {
			const mapping = region.rewrite && pathMapping(region.rewrite.from, region.rewrite.to, false);
			return {
				match: new RegExp(pathRegex(region.match)),
				headers: region.headers,
				...(mapping ? { rewrite: { regex: new RegExp(`^${mapping.body}$`), target: mapping.target, rest: mapping.rest } } : {}),
			};
		}),
		everywhere: plan.everywhere,
	};
}

export type RuleOutcome = { redirect: { status: number; location: string }; headers: HeaderOps } | { url: string; headers: HeaderOps };

/** What the rules make of a request: a redirect to answer, or the URL to forward; and the response headers to change either way. */
export function applyRules(rules: CompiledRules, method: string, url: string, hostHeader: string): RuleOutcome {
	const [path, query] = splitUrl(url);
	const region = rules.regions.find((r) => r.match.test(decoded(path)));
	const headers = region?.headers ?? rules.everywhere;
	const statusOf = (status: 301 | 302 | 307 | 308) => (method === "GET" ? redirectStatuses(status).get : redirectStatuses(status).other);
	const name = hostHeader.replace(/:\d+$/, "").toLowerCase();
	const host = rules.hostRedirects.find((rule) => rule.from === name);
	if (host) return { redirect: { status: statusOf(host.status), location: `http://${host.to}${/:\d+$/.exec(hostHeader)?.[0] ?? ""}${url}` }, headers };
	for (const redirect of rules.redirects) {
		const match = redirect.regex.exec(url);
		if (match) return { redirect: { status: statusOf(redirect.status), location: redirect.location(match, hostHeader) }, headers };
	}
	const rewrite = region?.rewrite;
	const match = rewrite?.regex.exec(path);
	if (rewrite && match) return { url: `${rewrite.target}${rewrite.rest ? (match[1] ?? "") : ""}${query}`, headers };
	return { url, headers };
}

/** The rules' outcome for a request to a route, or undefined when the route has none. */
export function ruleOutcome(rules: CompiledRules | undefined, req: IncomingMessage): RuleOutcome | undefined {
	return rules && applyRules(rules, req.method ?? "GET", req.url ?? "/", req.headers.host ?? "");
}

/** A redirect as Caddy and Traefik write it: the status's reason phrase as the body. */
export function answerRedirect(res: ServerResponse, outcome: { redirect: { status: number; location: string }; headers: HeaderOps }): void {
	const body = redirectText[outcome.redirect.status] ?? "";
	res.writeHead(outcome.redirect.status, withRuleHeaders({ location: outcome.redirect.location, "content-type": "text/plain; charset=utf-8" }, outcome.headers));
	res.end(body);
}

/** The response headers with the rules' changes: set replaces what the app sent, remove drops it. */
export function withRuleHeaders(headers: IncomingHttpHeaders, ops: HeaderOps | undefined): IncomingHttpHeaders {
	if (!ops) return headers;
	const result = { ...headers };
	for (const name of ops.remove) delete result[name.toLowerCase()];
	for (const [name, value] of Object.entries(ops.set)) result[name.toLowerCase()] = value;
	return result;
}

function splitUrl(url: string): [string, string] {
	const q = url.indexOf("?");
	return q < 0 ? [url, ""] : [url.slice(0, q), url.slice(q)];
}

/** Patterns are matched on the decoded path, as Caddy and Traefik do. */
function decoded(path: string): string {
	try {
		return decodeURIComponent(path);
	} catch {
		return path;
	}
}
