// No Traefik binary can run here. To check that the rendered dynamic configuration
// does what a rule case expects (not only that it is schema-valid), this evaluates it
// the way Traefik v3 does, for the parts our rules use: router choice by rule and
// priority (default: the rule's length), then the router's middlewares in order —
// headers (applied to whatever answers), redirectScheme, redirectRegex (on
// scheme://host[:port]/uri, 301/302 for GET and 308/307 otherwise), replacePathRegex
// (on the escaped path). The regexes are Go's; ours keep to the subset JavaScript reads
// alike, so `new RegExp` runs them. Replacements follow Go's Regexp.Expand.

export interface EmulatedRequest {
	scheme: "http" | "https";
	/** The Host header, port included when the client sent one. */
	host: string;
	method: string;
	/** Path and query, escaped, as on the request line. */
	uri: string;
}

export interface EmulatedResponse {
	status: number;
	headers: Record<string, string>;
	body: string;
}

type Upstream = (uri: string) => EmulatedResponse;

interface Router {
	rule: string;
	service: string;
	entryPoints?: string[];
	middlewares?: string[];
	priority?: number;
}

type Middleware = Record<string, Record<string, unknown>>;

interface Dynamic {
	http: { routers: Record<string, Router>; middlewares?: Record<string, Middleware> };
}

export function emulateTraefik(config: object, request: EmulatedRequest, upstream: Upstream): EmulatedResponse {
	const { http } = config as Dynamic;
	const entryPoint = request.scheme === "https" ? "websecure" : "web";
	const candidates = Object.values(http.routers)
		.filter((router) => (router.entryPoints ?? ["web", "websecure"]).includes(entryPoint) && evaluateRule(router.rule, request))
		.sort((a, b) => (b.priority ?? b.rule.length) - (a.priority ?? a.rule.length));
	const router = candidates[0];
	if (!router) return { status: 404, headers: {}, body: "404 page not found\n" };
	const modifiers: ((response: EmulatedResponse) => void)[] = [];
	let uri = request.uri;
	const finish = (response: EmulatedResponse) => {
		// Each headers middleware wraps the ones after it: the innermost modifies first.
		for (const modify of [...modifiers].reverse()) modify(response);
		return response;
	};
	const chain = router.middlewares ?? [];
	for (const [index, name] of chain.entries()) {
		const middleware = http.middlewares?.[name];
		if (!middleware) throw new Error(`router uses the undefined middleware ${name}`);
		const [kind, options] = Object.entries(middleware)[0]!;
		// Traefik's retry holds back any answer not from an instance and runs the rest of the
		// chain again: before a redirect it would repeat it. The emulator's instances always answer.
		if (kind === "retry") {
			if (index !== chain.length - 1) throw new Error(`the retry middleware ${name} is not the last of its chain`);
		} else if (kind === "headers") modifiers.push((response) => applyHeaders(options, request, response));
		else if (kind === "redirectScheme") {
			if (request.scheme !== options.scheme) {
				const host = request.host.replace(/:\d+$/, "") + (options.port ? `:${String(options.port)}` : "");
				return finish(moved(`${String(options.scheme)}://${host}${uri}`, Boolean(options.permanent), request.method));
			}
		} else if (kind === "redirectRegex") {
			const oldUrl = `${request.scheme}://${request.host}${uri}`;
			const regex = new RegExp(String(options.regex));
			const match = regex.exec(oldUrl);
			if (match) {
				const newUrl = expand(String(options.replacement), match);
				if (newUrl !== oldUrl) return finish(moved(newUrl, Boolean(options.permanent), request.method));
			}
		} else if (kind === "replacePathRegex") {
			const [path, query] = splitUri(uri);
			const match = new RegExp(String(options.regex)).exec(path);
			if (match) uri = expand(String(options.replacement), match) + query;
		} else throw new Error(`the emulator does not know the middleware ${kind}`);
	}
	return finish(upstream(uri));
}

function moved(location: string, permanent: boolean, method: string): EmulatedResponse {
	const get = method === "GET";
	const status = permanent ? (get ? 301 : 308) : get ? 302 : 307;
	const text: Record<number, string> = { 301: "Moved Permanently", 302: "Found", 307: "Temporary Redirect", 308: "Permanent Redirect" };
	return { status, headers: { location }, body: text[status]! };
}

function applyHeaders(options: Record<string, unknown>, request: EmulatedRequest, response: EmulatedResponse): void {
	for (const [name, value] of Object.entries((options.customResponseHeaders ?? {}) as Record<string, string>)) {
		if (value === "") delete response.headers[name.toLowerCase()];
		else response.headers[name.toLowerCase()] = value;
	}
	const seconds = Number(options.stsSeconds ?? 0);
	if (seconds > 0 && request.scheme === "https") {
		response.headers["strict-transport-security"] = `max-age=${seconds}${options.stsIncludeSubdomains ? "; includeSubDomains" : ""}${options.stsPreload ? "; preload" : ""}`;
	}
}

function splitUri(uri: string): [string, string] {
	const q = uri.indexOf("?");
	return q < 0 ? [uri, ""] : [uri.slice(0, q), uri.slice(q)];
}

/** Go's Regexp.Expand: `$name` takes the longest name ([A-Za-z0-9_]+), so `$1x` is group "1x" (empty); `${1}` is group 1. */
export function expand(template: string, match: RegExpExecArray): string {
	return template.replace(/\$(?:\{([A-Za-z0-9_]+)\}|([A-Za-z0-9_]+)|\$)/g, (whole, braced?: string, bare?: string) => {
		if (whole === "$$") return "$";
		const name = braced ?? bare ?? "";
		return /^\d+$/.test(name) ? (match[Number(name)] ?? "") : (match.groups?.[name] ?? "");
	});
}

/** Traefik's rule language, the part we render: Host, PathRegexp, &&, ||, !, parentheses. */
export function evaluateRule(rule: string, request: EmulatedRequest): boolean {
	const tokens = rule.match(/\|\||&&|!|\(|\)|[A-Za-z]+\(`[^`]*`\)/g) ?? [];
	let at = 0;
	const or = (): boolean => {
		let value = and();
		while (tokens[at] === "||") {
			at++;
			value = and() || value;
		}
		return value;
	};
	const and = (): boolean => {
		let value = unary();
		while (tokens[at] === "&&") {
			at++;
			value = unary() && value;
		}
		return value;
	};
	const unary = (): boolean => {
		const token = tokens[at++];
		if (token === "!") return !unary();
		if (token === "(") {
			const value = or();
			if (tokens[at++] !== ")") throw new Error(`unbalanced rule: ${rule}`);
			return value;
		}
		const call = /^([A-Za-z]+)\(`([^`]*)`\)$/.exec(token ?? "");
		if (!call) throw new Error(`cannot read the rule ${rule}`);
		const [, matcher, argument] = call;
		const path = decodeURIComponent(splitUri(request.uri)[0]);
		if (matcher === "Host") return request.host.replace(/:\d+$/, "").toLowerCase() === argument!.toLowerCase();
		if (matcher === "PathRegexp") return new RegExp(argument!).test(path);
		throw new Error(`the emulator does not know the matcher ${matcher}`);
	};
	const value = or();
	if (at !== tokens.length) throw new Error(`cannot read the rule ${rule}`);
	return value;
}
