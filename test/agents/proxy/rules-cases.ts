// Issue 6: the one table of HTTP rule cases every proxy driver must pass: rules in,
// requests, and what a user would check in the answers (status, Location, the path
// the app received, headers). rules.test.ts runs it live through Caddy and through
// Traefik's rendered configuration.
import { routeRulesFor } from "../../../agents/proxy/rules.js";
import type { RouteRules } from "../../../core/protocol/routing.js";
import { appSpec } from "../../../core/protocol/spec.js";

export const apex = "example.test";
export const www = "www.example.test";

export interface RuleRequest {
	method?: string;
	/** Host header; `{port}` becomes the proxy's port (a client on a non-standard port sends it). */
	host?: string;
	path: string;
	scheme?: "http" | "https";
	expect: {
		status: number;
		/** `{port}` as in host. */
		location?: string;
		/** The path and query the app received (the echo upstream answers with it). */
		body?: string;
		/** Header (lowercase) -> value, or null for "absent". */
		headers?: Record<string, string | null>;
	};
}

export interface RuleCase {
	name: string;
	rules: Partial<RouteRules>;
	requests: RuleRequest[];
}

/** What the echo upstream sends on every response: headers the rules can override or remove. */
export const upstreamHeaders = { "x-powered-by": "echo", "cache-control": "private" };

const noHsts = { hsts: false as const };

export const ruleCases: RuleCase[] = [
	{
		name: "host redirect www to apex keeps path, query and port",
		rules: { ...noHsts, hostRedirects: [{ from: www, to: apex, status: 301 }] },
		requests: [
			{ host: www, path: "/a/b?x=1&y=2", expect: { status: 301, location: `http://${apex}/a/b?x=1&y=2` } },
			{ host: `${www}:{port}`, path: "/a", expect: { status: 301, location: `http://${apex}:{port}/a` } },
			{ method: "POST", host: www, path: "/form", expect: { status: 308, location: `http://${apex}/form` } },
			{ host: apex, path: "/a?x=1", expect: { status: 200, body: "/a?x=1" } },
		],
	},
	{
		name: "host redirect apex to www, temporary",
		rules: { ...noHsts, hostRedirects: [{ from: apex, to: www, status: 302 }] },
		requests: [
			{ host: apex, path: "/?q=1", expect: { status: 302, location: `http://${www}/?q=1` } },
			{ method: "PUT", host: apex, path: "/x", expect: { status: 307, location: `http://${www}/x` } },
			{ host: www, path: "/", expect: { status: 200, body: "/" } },
		],
	},
	{
		name: "path redirect keeps the rest of the path and the query",
		rules: { ...noHsts, redirects: [{ from: "/blog/*", to: "/posts/*", status: 301 }] },
		requests: [
			{ path: "/blog", expect: { status: 301, location: `http://${apex}/posts` } },
			{ path: "/blog/2024/hello?ref=feed", expect: { status: 301, location: `http://${apex}/posts/2024/hello?ref=feed` } },
			{ host: `${www}:{port}`, path: "/blog/a", expect: { status: 301, location: `http://${www}:{port}/posts/a` } },
			{ path: "/blogger", expect: { status: 200, body: "/blogger" } },
			{ path: "/posts/a", expect: { status: 200, body: "/posts/a" } },
		],
	},
	{
		name: "exact path redirects: 308 and 307 as GET 301/302, other methods 308/307",
		rules: {
			...noHsts,
			redirects: [
				{ from: "/old", to: "/new", status: 308 },
				{ from: "/tmp", to: "/new", status: 307 },
			],
		},
		requests: [
			{ path: "/old?keep=1", expect: { status: 301, location: `http://${apex}/new?keep=1` } },
			{ method: "POST", path: "/old", expect: { status: 308, location: `http://${apex}/new` } },
			{ path: "/tmp", expect: { status: 302, location: `http://${apex}/new` } },
			{ method: "DELETE", path: "/tmp", expect: { status: 307, location: `http://${apex}/new` } },
			{ path: "/old/x", expect: { status: 200, body: "/old/x" } },
		],
	},
	{
		name: "redirects to another site and to one page",
		rules: {
			...noHsts,
			redirects: [
				{ from: "/docs/*", to: "https://docs.example.org/*", status: 302 },
				{ from: "/legacy/*", to: "/", status: 301 },
			],
		},
		requests: [
			{ path: "/docs", expect: { status: 302, location: "https://docs.example.org/" } },
			{ path: "/docs/a/b?x=1", expect: { status: 302, location: "https://docs.example.org/a/b?x=1" } },
			{ path: "/legacy/anything/here?y=2", expect: { status: 301, location: `http://${apex}/?y=2` } },
			{ path: "/legacy", expect: { status: 301, location: `http://${apex}/` } },
		],
	},
	{
		name: "rewrite: the app receives another path, the client sees no redirect",
		rules: { ...noHsts, rewrites: [{ from: "/api/*", to: "/v2/*" }] },
		requests: [
			{ path: "/api/users?id=1", expect: { status: 200, body: "/v2/users?id=1" } },
			{ path: "/api", expect: { status: 200, body: "/v2" } },
			{ path: "/apix", expect: { status: 200, body: "/apix" } },
		],
	},
	{
		name: "rewrites: the first match applies, they never chain, /* strips a prefix",
		rules: {
			...noHsts,
			rewrites: [
				{ from: "/app/*", to: "/*" },
				{ from: "/app/admin/*", to: "/admin/*" },
				{ from: "/x/*", to: "/y/*" },
				{ from: "/y/*", to: "/z/*" },
			],
		},
		requests: [
			{ path: "/app/admin/users", expect: { status: 200, body: "/admin/users" } },
			{ path: "/app", expect: { status: 200, body: "/" } },
			{ path: "/app/", expect: { status: 200, body: "/" } },
			{ path: "/x/1?q", expect: { status: 200, body: "/y/1?q" } },
			{ path: "/y/1", expect: { status: 200, body: "/z/1" } },
		],
	},
	{
		name: "headers on every response, redirects included",
		rules: {
			...noHsts,
			headers: [{ set: { "X-Frame-Options": "DENY", "Content-Security-Policy": "default-src 'self'; img-src {self}" }, remove: ["X-Powered-By"] }],
			redirects: [{ from: "/r", to: "/", status: 302 }],
		},
		requests: [
			{
				path: "/",
				expect: { status: 200, body: "/", headers: { "x-frame-options": "DENY", "content-security-policy": "default-src 'self'; img-src {self}", "x-powered-by": null } },
			},
			{ path: "/r", expect: { status: 302, location: `http://${apex}/`, headers: { "x-frame-options": "DENY" } } },
		],
	},
	{
		name: "headers per path, on the path asked for (before a rewrite); later rules win",
		rules: {
			...noHsts,
			headers: [
				{ set: { "Cache-Control": "no-cache" }, remove: [] },
				{ path: "/assets/*", set: { "Cache-Control": "public, max-age=31536000, immutable" }, remove: [] },
				{ path: "/assets/private/*", set: {}, remove: ["Cache-Control"] },
				{ path: "/assets/special.js", set: { "X-Special": "yes" }, remove: [] },
			],
			rewrites: [{ from: "/assets/*", to: "/static/*" }],
		},
		requests: [
			{ path: "/", expect: { status: 200, body: "/", headers: { "cache-control": "no-cache", "x-special": null } } },
			{ path: "/assets/app.js", expect: { status: 200, body: "/static/app.js", headers: { "cache-control": "public, max-age=31536000, immutable" } } },
			{ path: "/assets/private/a", expect: { status: 200, body: "/static/private/a", headers: { "cache-control": null } } },
			{ path: "/assets/special.js", expect: { status: 200, body: "/static/special.js", headers: { "cache-control": "public, max-age=31536000, immutable", "x-special": "yes" } } },
			{ path: "/assetsx", expect: { status: 200, body: "/assetsx", headers: { "cache-control": "no-cache" } } },
		],
	},
	{
		name: "HSTS is never sent over plain HTTP",
		rules: { hsts: { maxAge: 63072000, includeSubDomains: true, preload: true } },
		requests: [{ path: "/", expect: { status: 200, body: "/", headers: { "strict-transport-security": null, "x-powered-by": "echo" } } }],
	},
];

/** A case's rules as a driver receives them: checked as the agent's RPC input, defaults (HSTS) filled by routeRulesFor. */
export function routeRulesOf(rules: Partial<RouteRules>): RouteRules {
	return routeRulesFor(appSpec.parse({ name: "rules", rules })).rules!;
}

/** Cases over HTTPS (the route's hosts have certificates): HSTS is sent, on redirects too. */
export const tlsRuleCases: RuleCase[] = [
	{
		name: "HSTS on HTTPS responses, redirects included",
		rules: { hsts: { maxAge: 63072000, includeSubDomains: true, preload: true }, hostRedirects: [{ from: www, to: apex, status: 301 }] },
		requests: [
			{ scheme: "https", host: `${apex}:{port}`, path: "/", expect: { status: 200, body: "/", headers: { "strict-transport-security": "max-age=63072000; includeSubDomains; preload" } } },
			{
				scheme: "https",
				host: `${www}:{port}`,
				path: "/a?b=1",
				expect: { status: 301, location: `https://${apex}:{port}/a?b=1`, headers: { "strict-transport-security": "max-age=63072000; includeSubDomains; preload" } },
			},
		],
	},
	{
		name: "HSTS by default: a year, this host only",
		rules: {},
		requests: [{ scheme: "https", host: `${apex}:{port}`, path: "/", expect: { status: 200, body: "/", headers: { "strict-transport-security": "max-age=31536000" } } }],
	},
];
