// The renderer's build, served as it is. Paths are resolved inside the folder and
// never outside it; a path without an extension falls back to index.html so the
// single-page app can own its routes.
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import type { ServerResponse } from "node:http";
import { extname, join, normalize, sep } from "node:path";
import { contentTypeOf } from "../protocol/content-type.js";

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
	const type = contentTypeOf(file);
	// Vite's hashed assets never change; index.html must be fetched anew.
	const cache = file.includes(`${sep}assets${sep}`) ? "public, max-age=31536000, immutable" : "no-cache";
	response.writeHead(200, { ...headers, "content-type": type, "content-length": info.size, "cache-control": cache });
	createReadStream(file)
		.on("error", () => response.destroy())
		.pipe(response);
	return true;
}
