import * as z from "zod";
import {
	headerRule,
	hostRedirect,
	hstsFields,
	hstsPreloadRule,
	pathRedirect,
	pathRewrite,
	type RouteRules,
	ruleProblems,
} from "../routing.js";
import type { AppSpec } from "../spec.js";
import type { ProjectConfig } from "./schema.js";

// Issue 6: deploy.yaml's redirects, rewrites, headers and HSTS. `routingConfig` is
// spread into the one schema (core/protocol/config/schema.ts); `routingSpec` into toAppSpec.
// The rule schemas are the wire's own (core/protocol/routing.ts): one set of checks.

/** A list that also runs the rule checks (loops, /* targets) that need the whole list; paths stay relative to it. */
function checkedList<T extends z.ZodType>(key: "hostRedirects" | "redirects" | "rewrites" | "headers", item: T, max: number) {
	return z
		.array(item)
		.max(max)
		.superRefine((list, ctx) => {
			for (const issue of ruleProblems({ [key]: list })) ctx.addIssue({ code: "custom", path: issue.path.slice(1), message: issue.message });
		});
}

const hstsConfig = z
	.strictObject({
		enabled: z.boolean().default(true).meta({ description: "Send the Strict-Transport-Security header on HTTPS responses.", examples: [false] }),
		...hstsFields,
	})
	.refine(hstsPreloadRule.check, { message: hstsPreloadRule.message, path: hstsPreloadRule.path });

export const routingConfig = {
	hostRedirects: checkedList("hostRedirects", hostRedirect, 100)
		.optional()
		.meta({
			description:
				"Host redirects (www to the apex domain, or the other way), checked before anything else. Each item: `from`, one of the app's domains (under `domains`, or added with `deploy domains add`: the proxy only sees requests for those); `to`, the host the browser is sent to, with the same scheme, port, path and query; `status` (below). A host redirected to itself or round a loop is refused.",
			examples: [[{ from: "www.example.com", to: "example.com" }]],
		}),
	redirects: checkedList("redirects", pathRedirect, 200)
		.optional()
		.meta({
			description:
				"Path redirects, on every host of the app, after host redirects; the first rule whose `from` matches applies. Each item: `from`, a path (`/old`) or a path and everything under it (`/blog/*`: /blog, /blog/a...); `to`, a path on the same host or an absolute URL, where a trailing `/*` (allowed when `from` has one) keeps what followed `from`'s base (`/blog/a` → `/posts/a`); `status`, 301 (default) or 308 for permanent, 302 or 307 for temporary. Both proxies answer GET with 301/302 and other methods with 308/307, which keep the method and body: Traefik's redirect middleware can send nothing else, and Caddy does the same so the two behave alike. The query string is always kept. Paths use letters, digits and -._~!&'()+,;=:@/ (no %, ?, #, and * only as a last /*). A redirect that leads back to a path it redirects (a loop) is refused.",
			examples: [[{ from: "/blog/*", to: "/posts/*", status: 301 }, { from: "/docs/*", to: "https://docs.example.com/*", status: 302 }]],
		}),
	rewrites: checkedList("rewrites", pathRewrite, 200)
		.optional()
		.meta({
			description: "Paths the app receives instead of the one the client asked for, with no redirect (the browser's URL stays), after redirects. Each item: `from`, a path or `/prefix/*`; `to`, a path, where a trailing `/*` keeps what followed `from`'s base (`/api/users` → `/v2/users`; `to: /*` strips the prefix). The query string is kept. Only the first rule whose `from` matches applies: rewrites never chain. Static sites get them too.",
			examples: [[{ from: "/api/*", to: "/v2/*" }]],
		}),
	headers: checkedList("headers", headerRule, 100)
		.optional()
		.meta({
			description:
				"Response headers set or removed, on every response of the app (redirects included). Each item: `path`, a path or `/prefix/*` as the client asked for it (before any rewrite; default: every path); `set`, header names to values, replacing what the app sent; `remove`, header names dropped from what the app sent. Names are HTTP tokens; values are printable ASCII on one line, never empty. Strict-Transport-Security belongs to `hsts`, and connection headers (Content-Length, Transfer-Encoding...) to the proxy. When several rules name the same header for a path, the later rule wins.",
			examples: [[{ remove: ["X-Powered-By"] }, { path: "/assets/*", set: { "Cache-Control": "public, max-age=31536000, immutable" } }]],
		}),
	hsts: hstsConfig.optional().meta({
		description:
			"HTTP Strict Transport Security: tells browsers to use only HTTPS for the app's hosts. On by default (max-age one year, without includeSubDomains or preload; `enabled: false` turns it off), and sent only on HTTPS responses (so only for hosts with a certificate), never over plain HTTP.",
		examples: [{ maxAge: 63072000, includeSubDomains: true, preload: true }],
	}),
};

/** The rules as the agent receives them; nothing at all when the app has none (HSTS off, no lists). */
export function routingSpec(config: ProjectConfig): Partial<AppSpec> {
	// Absent keys are the defaults (no rules; the agent applies DEFAULT_HSTS), so a config without them gives the spec it always did.
	const rules: RouteRules = {
		hostRedirects: (config.hostRedirects ?? []).map((rule) => ({ ...rule })),
		redirects: (config.redirects ?? []).map((rule) => ({ ...rule })),
		rewrites: (config.rewrites ?? []).map((rule) => ({ ...rule })),
		headers: (config.headers ?? []).map((rule) => ({ ...(rule.path ? { path: rule.path } : {}), set: { ...rule.set }, remove: [...rule.remove] })),
		...(config.hsts ? { hsts: hstsSpec(config.hsts) } : {}),
	};
	const empty = rules.hsts === undefined && rules.hostRedirects.length + rules.redirects.length + rules.rewrites.length + rules.headers.length === 0;
	return empty ? {} : { rules };
}

function hstsSpec(hsts: z.output<typeof hstsConfig>): RouteRules["hsts"] {
	return hsts.enabled ? { maxAge: hsts.maxAge, includeSubDomains: hsts.includeSubDomains, preload: hsts.preload } : false;
}
