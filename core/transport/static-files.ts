// The renderer's build, served as it is. Paths are resolved inside the folder and
// never outside it; a path without an extension falls back to index.html so the
// single-page app can own its routes.
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import type { ServerResponse } from "node:http";
import { extname, join, normalize, sep } from "node:path";

const CONTENT_TYPES: Record<string, string> = {
	".html": "text/html; charset=utf-8",
	".js": "text/javascript; charset=utf-8",
	".mjs": "text/javascript; charset=utf-8",
	".css": "text/css; charset=utf-8",
	".json": "application/json; charset=utf-8",
	".svg": "image/svg+xml",
	".png": "image/png",
	".ico": "image/x-icon",
	".woff2": "font/woff2",
	".map": "application/json; charset=utf-8",
	".txt": "text/plain; charset=utf-8",
	".wasm": "application/wasm",
};

/** Answers a GET for `pathname` from `root`; false when there is nothing to serve. */
export async function serveStatic(root: string, pathname: string, response: ServerResponse, headers: Record<string, string>): Promise<boolean> {
	let relative: string;
	try {
		relative = normalize(decodeURIComponent(pathname)).replace(/^([/\\])+/, "");
	} catch {
		return false;
	}
	if (relative.split(sep).includes("..") || relative.includes("\0")) return false;
	let file = join(root, relative);
	let info = await stat(file).catch(() => undefined);
	if (info?.isDirectory()) {
		file = join(file, "index.html");
		info = await stat(file).catch(() => undefined);
	}
	if (!info && extname(relative) === "") {
		file = join(root, "index.html");
		info = await stat(file).catch(() => undefined);
	}
	if (!info?.isFile()) return false;
	const type = CONTENT_TYPES[extname(file).toLowerCase()] ?? "application/octet-stream";
	// Vite's hashed assets never change; index.html must be fetched anew.
	const cache = file.includes(`${sep}assets${sep}`) ? "public, max-age=31536000, immutable" : "no-cache";
	response.writeHead(200, { ...headers, "content-type": type, "content-length": info.size, "cache-control": cache });
	createReadStream(file)
		.on("error", () => response.destroy())
		.pipe(response);
	return true;
}
