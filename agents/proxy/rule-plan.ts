import { matchPath, type PathPattern, parsePathPattern } from "../../core/protocol/path-pattern.js";
import type { RouteRules } from "../../core/protocol/routing.js";

// Issue 6: the path-scoped rules (rewrites, headers with a path) of a route, cut into
// regions every driver renders the same way. Traefik picks one router per request and
// applies all of its middlewares, so a path under both `/assets/*` and `/assets/app.js`
// needs a router of its own with the rules of both: a region is one such set of rules.

export interface HeaderOps {
	/** Header name (as written) -> value. */
	set: Record<string, string>;
	remove: string[];
}

export interface PathRegion {
	/** A path matching this pattern gets at least this region's rules; regions are tried heaviest first, so it gets exactly them. */
	match: PathPattern;
	/** How many path rules apply here: the order regions are tried in (most first). */
	weight: number;
	/** The first rewrite (in deploy.yaml's order) whose `from` matches: only one applies. */
	rewrite?: { index: number; from: PathPattern; to: string };
	/** Every header rule that applies (the unscoped ones too), merged: later rules win. */
	headers: HeaderOps;
}

export interface RulePlan {
	/** Paths in no region: the unscoped header rules only. */
	everywhere: HeaderOps;
	/** Heaviest first. */
	regions: PathRegion[];
}

type Scoped = { index: number; pattern: PathPattern; kind: "rewrite" | "headers" };

export function planRules(rules: RouteRules): RulePlan {
	const scoped: Scoped[] = [
		...rules.rewrites.map((rule, index) => ({ index, pattern: parsePathPattern(rule.from), kind: "rewrite" as const })),
		...rules.headers.flatMap((rule, index) => (rule.path ? [{ index, pattern: parsePathPattern(rule.path), kind: "headers" as const }] : [])),
	];
	const everywhere = mergeHeaders(rules.headers.filter((rule) => !rule.path));
	const regions = new Map<string, PathRegion>();
	for (const path of samplePaths(scoped)) {
		const applying = scoped.filter((rule) => matchPath(rule.pattern, path) !== null);
		const key = applying.map((rule) => `${rule.kind}${rule.index}`).join(",");
		if (applying.length === 0 || regions.has(key)) continue;
		const rewrite = applying.filter((rule) => rule.kind === "rewrite").sort((a, b) => a.index - b.index)[0];
		const headerIndexes = new Set(applying.filter((rule) => rule.kind === "headers").map((rule) => rule.index));
		regions.set(key, {
			match: mostSpecific(applying.map((rule) => rule.pattern)),
			weight: applying.length,
			...(rewrite ? { rewrite: { index: rewrite.index, from: rewrite.pattern, to: rules.rewrites[rewrite.index]!.to } } : {}),
			headers: mergeHeaders(rules.headers.filter((rule, index) => !rule.path || headerIndexes.has(index))),
		});
	}
	return { everywhere, regions: [...regions.values()].sort((a, b) => b.weight - a.weight) };
}

/**
 * One path per distinct set of rules that can apply together: each pattern's own
 * path and, for `/*` patterns, a child no pattern names. Any other path has the
 * same rules as one of these (its deepest matching pattern decides).
 */
function samplePaths(scoped: readonly Scoped[]): string[] {
	return scoped.flatMap(({ pattern }) => (pattern.prefix ? [pattern.base || "/", `${pattern.base}/\u0001`] : [pattern.base]));
}

/** The pattern that matches the fewest paths: every other one of the set contains it. */
function mostSpecific(patterns: readonly PathPattern[]): PathPattern {
	return [...patterns].sort((a, b) => Number(a.prefix) - Number(b.prefix) || b.base.length - a.base.length)[0]!;
}

/** The header rules as one set of operations; a later rule replaces what an earlier one said about the same header. */
function mergeHeaders(rules: readonly { set: Record<string, string>; remove: readonly string[] }[]): HeaderOps {
	const ops = new Map<string, { name: string; value: string | null }>();
	for (const rule of rules) {
		for (const [name, value] of Object.entries(rule.set)) {
			ops.delete(name.toLowerCase());
			ops.set(name.toLowerCase(), { name, value });
		}
		for (const name of rule.remove) {
			ops.delete(name.toLowerCase());
			ops.set(name.toLowerCase(), { name, value: null });
		}
	}
	const set: Record<string, string> = {};
	const remove: string[] = [];
	for (const { name, value } of ops.values()) {
		if (value === null) remove.push(name);
		else set[name] = value;
	}
	return { set, remove };
}

export function isEmpty(ops: HeaderOps): boolean {
	return Object.keys(ops.set).length === 0 && ops.remove.length === 0;
}

/** The Strict-Transport-Security value, as Traefik writes it from stsSeconds & co. */
export function hstsValue(hsts: { maxAge: number; includeSubDomains: boolean; preload: boolean }): string {
	return `max-age=${hsts.maxAge}${hsts.includeSubDomains ? "; includeSubDomains" : ""}${hsts.preload ? "; preload" : ""}`;
}

/** The reason phrase both proxies write as a redirect's body. */
export const redirectText: Record<number, string> = { 301: "Moved Permanently", 302: "Found", 307: "Temporary Redirect", 308: "Permanent Redirect" };

/** What a redirect answers, by method, as Traefik's redirect middleware does (see the `status` description in deploy.yaml). */
export function redirectStatuses(status: 301 | 302 | 307 | 308): { get: number; other: number } {
	return status === 301 || status === 308 ? { get: 301, other: 308 } : { get: 302, other: 307 };
}
