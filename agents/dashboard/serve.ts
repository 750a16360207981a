// Issue 17, item 4: the dashboard's files, answered by the API's listener for every path
// outside /api/. GET and HEAD only; a path is looked up inside the served build and
// nowhere else (decoded once, `..` and links out refused); a path without an extension
// is a page of the single-page app (`/invite`): index.html, marked as served by a server.
import { createReadStream } from "node:fs";
import { readFile, realpath, stat } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { contentTypeOf } from "../../core/protocol/content-type.js";
import { isInside } from "../fs/is-inside.js";
import { cacheControlFor, NO_CACHE } from "../static/cache-policy.js";
import { DASHBOARD_HEADERS, SERVER_MODE_META } from "./headers.js";
import { dashboardPaths } from "./paths.js";

export async function serveDashboard(homeRoot: string, request: IncomingMessage, response: ServerResponse): Promise<void> {
	if (request.method !== "GET" && request.method !== "HEAD") return plain(response, 405, "The dashboard's pages are read with GET.\n", { allow: "GET, HEAD" });
	const root = await realpath(dashboardPaths(homeRoot).current).catch(() => null);
	if (!root) return plain(response, 404, "The dashboard is not on this server yet: run `deploy servers api enable <server> --domain <domain>` again.\n");
	const urlPath = decodedPath(request.url ?? "/");
	const file = urlPath === null ? null : await fileOf(root, urlPath);
	if (!file) return plain(response, urlPath === null ? 400 : 404, "Not found.\n");
	const head = request.method === "HEAD";
	if (file.page) {
		const html = Buffer.from((await readFile(file.path, "utf8")).replace(/<head>/i, (tag) => `${tag}${SERVER_MODE_META}`));
		response.writeHead(200, { ...DASHBOARD_HEADERS, "content-type": "text/html; charset=utf-8", "content-length": html.length, "cache-control": NO_CACHE });
		return void response.end(head ? undefined : html);
	}
	const cache = cacheControlFor(file.urlPath);
	response.writeHead(200, { ...DASHBOARD_HEADERS, "content-type": contentTypeOf(file.path), "content-length": file.size, ...(cache ? { "cache-control": cache } : {}) });
	if (head) return void response.end();
	// A client that goes away mid-file (a closed tab, a cancelled load) is not the server's failure.
	await pipeline(createReadStream(file.path), response).catch((error: NodeJS.ErrnoException) => {
		if (error.code !== "ERR_STREAM_PREMATURE_CLOSE") throw error;
	});
}

/** The URL's path, decoded once; null when it cannot be (a malformed escape, a NUL). */
function decodedPath(url: string): string | null {
	try {
		const path = decodeURIComponent(new URL(url, "http://dashboard.invalid").pathname);
		return path.includes("\0") ? null : path;
	} catch {
		return null;
	}
}

/** The file a path names inside the build, links followed and checked; index.html for a page. */
async function fileOf(root: string, urlPath: string): Promise<{ path: string; urlPath: string; size: number; page: boolean } | null> {
	const isPage = urlPath === "/" || urlPath === "/index.html" || !/\.[A-Za-z0-9]+$/.test(urlPath);
	const wanted = isPage ? "/index.html" : urlPath;
	const full = join(root, wanted);
	if (!isInside(root, full)) return null;
	const real = await realpath(full).catch(() => null);
	if (!real || !isInside(root, real)) return null;
	const info = await stat(real).catch(() => null);
	if (!info?.isFile()) return null;
	return { path: real, urlPath: wanted, size: info.size, page: isPage };
}

function plain(response: ServerResponse, status: number, text: string, extra: Record<string, string> = {}): void {
	response.writeHead(status, { ...DASHBOARD_HEADERS, ...extra, "content-type": "text/plain; charset=utf-8", "content-length": Buffer.byteLength(text), "cache-control": "no-store" });
	response.end(text);
}
