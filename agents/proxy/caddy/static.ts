import { HASHED_ASSET, IMMUTABLE, NO_CACHE } from "../../static/cache-policy.js";

/**
 * A static site in Caddy: compression (zstd, gzip), the SPA fallback as a try_files
 * rewrite, the cache policy our own static server applies too, then file_server.
 * The routes of a subroute chain like middleware: each matching one adds its handler.
 */
export function renderStaticHandlers(site: { root: string; spa: boolean }): object[] {
	const header = (value: string) => ({ handler: "headers", response: { set: { "Cache-Control": [value] } } });
	const routes: object[] = [{ handle: [{ handler: "encode", encodings: { zstd: {}, gzip: {} }, prefer: ["zstd", "gzip"] }] }];
	if (site.spa) {
		routes.push({
			match: [{ file: { root: site.root, try_files: ["{http.request.uri.path}", "{http.request.uri.path}/index.html", "/index.html"] } }],
			handle: [{ handler: "rewrite", uri: "{http.matchers.file.relative}" }],
		});
	}
	routes.push(
		{ match: [{ path_regexp: { pattern: HASHED_ASSET } }], handle: [header(IMMUTABLE)] },
		{ match: [{ path: ["/", "*.html", "*/"] }], handle: [header(NO_CACHE)] },
		{ handle: [{ handler: "file_server", root: site.root }] },
	);
	return [{ handler: "subroute", routes }];
}
