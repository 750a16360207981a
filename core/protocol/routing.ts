import * as z from "zod";
import { mapPath, PATH_CHARS, PATH_PATTERN, parsePathPattern } from "./path-pattern.js";

// Issue 6: the HTTP rules of an app (redirects, rewrites, response headers, HSTS) as
// the agent receives them in its AppSpec and as every proxy driver renders them.
// deploy.yaml uses these same schemas (core/protocol/config/routing.ts), so a rule is checked
// once by the client and again by the agent, with the same messages.

const hostLabel = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?";
const hostText = `${hostLabel}(?:\\.${hostLabel})+`;

const hostName = z
	.string()
	.max(253, "must be at most 253 characters")
	.regex(new RegExp(`^${hostText}$`), "must be a lowercase host name like example.com (ASCII: punycode for international names)");

/** `/old` or `/blog/*` (the path and everything under it). */
export const pathPatternText = z
	.string()
	.max(1024, "must be at most 1024 characters")
	.regex(/^\//, "must start with /")
	.regex(PATH_PATTERN, "must be a path like /old or /blog/* (letters, digits and -._~!&'()+,;=:@/; * only as a last /*; no query, no %)")
	.refine((text) => !text.includes("//"), "must not contain //");

/** A redirect's target: a path pattern, or an absolute http(s) URL whose path may end in /*. */
const redirectTarget = z
	.string()
	.max(2048, "must be at most 2048 characters")
	.regex(
		new RegExp(`^(?:https?://${hostText}(?::[0-9]{1,5})?)?(?:/[${PATH_CHARS}]*?(?:/\\*)?|/\\*)?$`),
		"must be a path like /new or /posts/*, or a URL like https://example.com/docs/* (no query, no %)",
	)
	.refine((text) => text.length > 0, "must not be empty")
	.refine((text) => !text.replace(/^https?:\/\//, "").includes("//"), "must not contain //");

/** RFC 9110 token: what a header field name may be. */
const headerName = z
	.string()
	.max(256, "must be at most 256 characters")
	.regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, "must be a header name (a token: letters, digits and !#$%&'*+.^_`|~-, no spaces or colons)")
	.refine((name) => name.toLowerCase() !== "strict-transport-security", "is set by `hsts`, not by headers")
	.refine((name) => !framingHeaders.includes(name.toLowerCase()), "describes the connection, not the response: the proxy owns it");

const framingHeaders = ["connection", "content-length", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade"];

/** Visible ASCII and spaces only: a CR or LF would start a header of its own. */
const headerValue = z
	.string()
	.max(4096, "must be at most 4096 characters")
	.regex(/^[\t\x20-\x7e]*$/, "must be printable ASCII on one line (no CR, LF or other control characters)")
	.refine((value) => value.trim().length > 0, "must not be empty (to drop a header, list it under remove)");

const redirectStatus = z
	.union([z.literal(301), z.literal(302), z.literal(307), z.literal(308)], { error: "must be a redirect status: 301, 302, 307 or 308" })
	.default(301)
	.meta({
		description:
			"301 or 308 for a permanent redirect, 302 or 307 for a temporary one. Both proxies answer GET with 301/302 and other methods with 308/307 (which keep the method and body): Traefik's redirect middleware can send nothing else, and Caddy does the same so the two behave alike.",
		examples: [302],
	});

export const hostRedirect = z
	.strictObject({
		from: hostName.meta({ description: "The host redirected away from: one of the app's domains (deploy.yaml or `deploy domains add`), since the proxy only sees requests for those.", examples: ["www.example.com"] }),
		to: hostName.meta({ description: "The host the browser is sent to, with the same scheme, port, path and query.", examples: ["example.com"] }),
		status: redirectStatus,
	})
	.meta({ description: "Sends every request for one host to another: www to the apex domain, or the other way round." });

export const pathRedirect = z
	.strictObject({
		from: pathPatternText.meta({ description: "The path redirected: `/old` only that path, `/blog/*` the path and everything under it.", examples: ["/blog/*"] }),
		to: redirectTarget.meta({
			description:
				"Where the browser is sent: a path on the same host, or an absolute URL. A trailing `/*` (when `from` has one) keeps what followed `from`'s base (`/blog/a` → `/posts/a`). The query string is always kept.",
			examples: ["/posts/*", "https://docs.example.com/*"],
		}),
		status: redirectStatus,
	})
	.meta({ description: "Redirects a path, keeping the query string." });

export const pathRewrite = z
	.strictObject({
		from: pathPatternText.meta({ description: "The path the client asks for: `/old` or `/api/*`.", examples: ["/api/*"] }),
		to: pathPatternText.meta({
			description: "The path the app receives instead (the client sees no redirect). A trailing `/*` keeps what followed `from`'s base (`/api/users` → `/v2/users`). The query string is kept.",
			examples: ["/v2/*"],
		}),
	})
	.meta({ description: "Serves another path than the one asked for, without a redirect. Only the first rewrite whose `from` matches applies." });

export const headerRule = z
	.strictObject({
		path: pathPatternText.optional().meta({ description: "Only responses to these paths (as the client asked, before any rewrite). Default: every path.", examples: ["/assets/*"] }),
		set: z
			.record(headerName, headerValue)
			.default({})
			.meta({ description: "Response headers set, replacing what the app sent.", examples: [{ "Cache-Control": "public, max-age=31536000, immutable", "X-Frame-Options": "DENY" }] }),
		remove: z
			.array(headerName)
			.max(100)
			.default([])
			.meta({ description: "Response headers removed from what the app sent.", examples: [["X-Powered-By"]] }),
	})
	.meta({ description: "Response headers to set or remove. When several rules name the same header for a path, the later rule wins." });

/** HSTS's fields, shared by deploy.yaml (which adds `enabled`) and the wire. */
export const hstsFields = {
	maxAge: z
		.number()
		.int()
		.min(1)
		.max(2 * 31536000)
		.default(31536000)
		.meta({ description: "Seconds browsers remember to use HTTPS only (max-age).", examples: [63072000] }),
	includeSubDomains: z.boolean().default(false).meta({ description: "Applies to every subdomain too (includeSubDomains).", examples: [true] }),
	preload: z
		.boolean()
		.default(false)
		.meta({ description: "Asks to be on browsers' preload list (preload); needs includeSubDomains and a maxAge of at least a year.", examples: [true] }),
};

/** hstspreload.org refuses a preload request without both. */
export const hstsPreloadRule = {
	check: (hsts: { preload: boolean; includeSubDomains: boolean; maxAge: number }) => !hsts.preload || (hsts.includeSubDomains && hsts.maxAge >= 31536000),
	message: "preload needs includeSubDomains: true and a maxAge of at least 31536000 (hstspreload.org refuses less)",
	path: ["preload"],
};

export const hstsSettings = z.strictObject(hstsFields).refine(hstsPreloadRule.check, { message: hstsPreloadRule.message, path: hstsPreloadRule.path });

/** HSTS when deploy.yaml says nothing: on, for a year, this host only. */
export const DEFAULT_HSTS = { maxAge: 31536000, includeSubDomains: false, preload: false } as const;

type Issue = { path: (string | number)[]; message: string };

/** Which rules could never work as meant: a redirect back to itself or round a loop, a `/*` target without a `/*` source. */
export function ruleProblems(rules: {
	hostRedirects?: readonly { from: string; to: string }[];
	redirects?: readonly { from: string; to: string }[];
	rewrites?: readonly { from: string; to: string }[];
	headers?: readonly { set: Record<string, string>; remove: readonly string[] }[];
}): Issue[] {
	const issues: Issue[] = [];
	const hosts = rules.hostRedirects ?? [];
	hosts.forEach((_, i) => {
		const problem = hostRedirectProblem(hosts, i);
		if (problem) issues.push({ path: ["hostRedirects", i, problem.key], message: problem.message });
	});
	for (const [key, list] of [
		["redirects", rules.redirects ?? []],
		["rewrites", rules.rewrites ?? []],
	] as const) {
		list.forEach((rule, i) => {
			if (rule.to.endsWith("/*") && !rule.from.endsWith("/*")) issues.push({ path: [key, i, "to"], message: "can end in /* only when from does (there is no rest of the path to keep)" });
		});
	}
	(rules.redirects ?? []).forEach((_, i) => {
		const loop = redirectLoop(rules.redirects ?? [], i);
		if (loop) issues.push({ path: ["redirects", i, "to"], message: `is a redirect loop: ${loop.join(" → ")}` });
	});
	(rules.headers ?? []).forEach((rule, i) => {
		const removed = new Set(rule.remove.map((name) => name.toLowerCase()));
		const both = Object.keys(rule.set).find((name) => removed.has(name.toLowerCase()));
		if (both) issues.push({ path: ["headers", i, "remove"], message: `${both} is both set and removed` });
	});
	return issues;
}

function hostRedirectProblem(hosts: readonly { from: string; to: string }[], index: number): { key: "from" | "to"; message: string } | null {
	const rule = hosts[index]!;
	if (rule.from === rule.to) return { key: "to", message: `redirects ${rule.from} to itself` };
	if (hosts.findIndex((other) => other.from === rule.from) !== index) return { key: "from", message: `${rule.from} is redirected twice` };
	const seen = [rule.from];
	for (let host: string | undefined = rule.to; host !== undefined; host = hosts.find((other) => other.from === host)?.to) {
		if (seen.includes(host)) return { key: "to", message: `is a redirect loop: ${[...seen, host].join(" → ")}` };
		seen.push(host);
	}
	return null;
}

/**
 * Follows the redirects from the paths rule `index` matches, as a browser would: a
 * path seen again, or more hops than any sane chain, is a loop (`/a/*` → `/a/b/*`
 * never repeats a path but never ends). Absolute targets leave the app: not followed.
 */
function redirectLoop(redirects: readonly { from: string; to: string }[], index: number): string[] | null {
	const from = parsePathPattern(redirects[index]!.from);
	const starts = from.prefix ? [from.base || "/", `${from.base}/x`] : [from.base];
	for (const start of starts) {
		const seen = [start];
		for (let path = start; ; ) {
			const rule = redirects.find((r) => mapPath(parsePathPattern(r.from), r.to, path) !== null);
			if (!rule || /^https?:/.test(rule.to)) break;
			path = mapPath(parsePathPattern(rule.from), rule.to, path)!;
			if (seen.includes(path) || seen.length > 10) return [...seen, path];
			seen.push(path);
		}
	}
	return null;
}

/** The rules one route carries; every driver must render them with the same behaviour. */
export const routeRules = z
	.object({
		hostRedirects: z.array(hostRedirect).max(100).default([]),
		redirects: z.array(pathRedirect).max(200).default([]),
		rewrites: z.array(pathRewrite).max(200).default([]),
		headers: z.array(headerRule).max(100).default([]),
		/** false: no Strict-Transport-Security header; absent: DEFAULT_HSTS. Sent only over HTTPS. */
		hsts: z.union([z.literal(false), hstsSettings]).optional(),
	})
	.superRefine((rules, ctx) => {
		for (const issue of ruleProblems(rules)) ctx.addIssue({ code: "custom", path: issue.path, message: issue.message });
	});
export type RouteRules = z.infer<typeof routeRules>;

/** The keys these rules add to AppSpec (core/protocol/spec.ts spreads them in). */
export const appRoutingSpec = {
	/** Absent when deploy.yaml has no rules: no redirects, rewrites or headers, and DEFAULT_HSTS. */
	rules: routeRules.optional(),
};
