// Issue 6: the path patterns of HTTP rules (`/old`, `/blog/*`, `/*`) and the one way
// they become regular expressions. Every driver renders from here, so Caddy, Traefik
// and the builtin proxy match the same paths. The regexes keep to the subset Go's
// RE2 (Caddy, Traefik) and JavaScript read alike: no lookaround, no inline flags.

/** Characters a pattern may hold: none that a proxy config would read as syntax ({}, $, `, ?, #, *, %, \). */
export const PATH_CHARS = "A-Za-z0-9\\-._~!&'()+,;=:@/";

/** A pattern as written: `/blog/*` matches /blog and everything under it; `/old` only /old. */
export const PATH_PATTERN = new RegExp(`^/[${PATH_CHARS}]*?(?:/\\*)?$|^/\\*$`);

export interface PathPattern {
	/** The fixed part, without the trailing `/*`: "" for `/*`. */
	base: string;
	/** Whether everything under `base` matches too. */
	prefix: boolean;
}

export function parsePathPattern(text: string): PathPattern {
	if (text === "/*") return { base: "", prefix: true };
	if (text.endsWith("/*")) return { base: text.slice(0, -2), prefix: true };
	return { base: text, prefix: false };
}

/** What is left of `path` after the pattern's base ("" or "/..."), or null when it does not match. */
export function matchPath(pattern: PathPattern, path: string): string | null {
	if (!pattern.prefix) return path === pattern.base ? "" : null;
	if (path === pattern.base) return "";
	return path.startsWith(`${pattern.base}/`) ? path.slice(pattern.base.length) : null;
}

/** Escapes the characters of PATH_CHARS that are regex syntax in both Go and JavaScript. */
export function escapeRegex(text: string): string {
	return text.replace(/[.()+]/g, "\\$&");
}

/** An anchored regex matching exactly the paths of `pattern` (a decoded or escaped path: our patterns have no %). */
export function pathRegex(pattern: PathPattern): string {
	return pattern.prefix ? `^${escapeRegex(pattern.base)}(/.*)?$` : `^${escapeRegex(pattern.base)}$`;
}

/**
 * A rule that maps a matched path onto a target: the target's fixed part plus, for
 * `/*` → `/*`, what followed the base. `regex` captures that rest as group 1 (when
 * `rest`), and the result is `target + group 1`. A target without a path of its own
 * (`/*`, `https://host/*`) takes the rest without its leading slash, after a `/`, so
 * `/blog` → `/` rather than an empty path.
 */
export interface PathMapping {
	/** The pattern's body, unanchored; `.` never crosses into a query when `inUri`. */
	body: string;
	/** Whether group 1 carries the rest of the path. */
	rest: boolean;
	/** What the result starts with: a path, or an absolute URL (origin + path). */
	target: string;
}

export function pathMapping(from: PathPattern, to: string, inUri: boolean): PathMapping {
	const any = inUri ? "[^?]" : ".";
	const base = escapeRegex(from.base);
	if (!from.prefix) return { body: base, rest: false, target: to };
	if (!to.endsWith("/*")) return { body: `${base}(?:/${any}*)?`, rest: false, target: to };
	const target = to.slice(0, -2);
	if (joinsWithSlash(to)) return { body: `${base}(?:/(${any}*))?`, rest: true, target: `${target}/` };
	return { body: `${base}(/${any}*)?`, rest: true, target };
}

/** Where `path` goes from `from` to `to`: the pure form of what every proxy renders, or null when it does not match. */
export function mapPath(from: PathPattern, to: string, path: string): string | null {
	const rest = matchPath(from, path);
	if (rest === null) return null;
	const mapping = pathMapping(from, to, false);
	if (!mapping.rest) return mapping.target;
	return mapping.target + (joinsWithSlash(to) ? rest.slice(1) : rest);
}

/** A `/*` target with no path of its own (`/*`, `https://host/*`): the rest keeps a slash in front. */
function joinsWithSlash(to: string): boolean {
	const target = to.slice(0, -2);
	return target === "" || /^https?:\/\/[^/]+$/.test(target);
}
