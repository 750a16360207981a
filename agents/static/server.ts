import { createReadStream } from "node:fs";
import { realpath, stat } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { join, resolve, sep } from "node:path";
import { pipeline } from "node:stream/promises";
import { createBrotliCompress, createGzip } from "node:zlib";
import { contentTypeOf } from "../../core/protocol/content-type.js";
import { isInside } from "../fs/is-inside.js";
import { cacheControlFor } from "./cache-policy.js";

const COMPRESSIBLE = /^(text\/|application\/(json|xml|manifest\+json)|image\/svg)/;

export interface StaticOptions {
	root: string;
	spa: boolean;
	/** The folder a served file must really be in, links followed (the release); default: `root`. */
	within?: string;
}

/**
 * The static site server the agent runs as a web instance where the proxy cannot
 * serve files itself (Traefik, the builtin preview proxy): GET/HEAD only, no
 * directory listings, SPA fallback, gzip or brotli for text, the cache policy
 * Caddy applies too.
 */
export function createStaticServer(options: StaticOptions): Server {
	const root = resolve(options.root);
	// Real path once: a file is served only when its own real path is inside it (issue 13).
	const fence = realpath(options.within ?? root).catch(() => null);
	return createServer((req, res) => {
		handle(root, fence, options.spa, req, res).catch(() => {
			if (!res.headersSent) res.writeHead(500).end();
			else res.destroy();
		});
	});
}

async function handle(root: string, fence: Promise<string | null>, spa: boolean, req: IncomingMessage, res: ServerResponse): Promise<void> {
	if (req.method !== "GET" && req.method !== "HEAD") return void res.writeHead(405, { allow: "GET, HEAD" }).end();
	let path: string;
	try {
		path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
	} catch {
		return void res.writeHead(400).end();
	}
	const file = await findFile(root, await fence, path, spa);
	if (!file) return void res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("Not found.\n");
	const type = contentTypeOf(file.path);
	const headers: Record<string, string> = { "content-type": type, "last-modified": file.mtime.toUTCString(), vary: "accept-encoding" };
	const cache = cacheControlFor(file.urlPath);
	if (cache) headers["cache-control"] = cache;
	const since = req.headers["if-modified-since"];
	if (since && Math.floor(file.mtime.getTime() / 1000) <= Math.floor(Date.parse(since) / 1000)) return void res.writeHead(304, headers).end();
	const accepts = String(req.headers["accept-encoding"] ?? "");
	const encoding = COMPRESSIBLE.test(type) && file.size > 256 ? (/\bbr\b/.test(accepts) ? "br" : /\bgzip\b/.test(accepts) ? "gzip" : null) : null;
	if (encoding) headers["content-encoding"] = encoding;
	else headers["content-length"] = String(file.size);
	res.writeHead(200, headers);
	if (req.method === "HEAD") return void res.end();
	const source = createReadStream(file.path);
	if (encoding) await pipeline(source, encoding === "br" ? createBrotliCompress() : createGzip(), res);
	else await pipeline(source, res);
}

/**
 * The file a URL path names inside root (index.html for folders), the SPA fallback, or
 * null. A link that leads out of `fence` is no file of the site: the deploy refuses
 * such links, and this holds for a release an older agent let through.
 */
async function findFile(root: string, fence: string | null, urlPath: string, spa: boolean): Promise<{ path: string; urlPath: string; size: number; mtime: Date } | null> {
	if (fence === null) return null;
	const tries = [urlPath, `${urlPath.replace(/\/$/, "")}/index.html`];
	if (spa && !/\.[a-z0-9]+$/i.test(urlPath)) tries.push("/index.html");
	for (const candidate of tries) {
		const full = resolve(join(root, candidate));
		if (full !== root && !full.startsWith(root + sep)) return null;
		const info = await stat(full).catch(() => null);
		if (!info?.isFile()) continue;
		const real = await realpath(full).catch(() => null);
		if (real !== null && isInside(fence, real)) return { path: full, urlPath: candidate, size: info.size, mtime: info.mtime };
	}
	return null;
}

/** `node agent.mjs serve-static <dir> [--spa]`: serves on $PORT (127.0.0.1) until SIGTERM. */
export async function runServeStatic(args: string[]): Promise<void> {
	const dir = args.find((a) => !a.startsWith("--"));
	const port = Number(process.env.PORT);
	if (!dir || !Number.isInteger(port) || port <= 0) {
		process.stderr.write("usage: PORT=<port> node agent.mjs serve-static <dir> [--spa]\n");
		process.exitCode = 2;
		return;
	}
	// Started in its release folder (agents/deploy/start.ts): no file outside it is served, whatever the links say.
	const server = createStaticServer({ root: dir, spa: args.includes("--spa"), within: process.cwd() });
	await new Promise<void>((ok, fail) => server.once("error", fail).listen(port, "127.0.0.1", () => ok()));
	process.stdout.write(`serving ${resolve(dir)} on 127.0.0.1:${port}\n`);
	const stop = () => {
		server.close(() => process.exit(0));
		server.closeIdleConnections();
	};
	process.on("SIGTERM", stop);
	process.on("SIGINT", stop);
}
