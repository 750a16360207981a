/**
 * Cache headers of a static site, shared by Caddy's config and our own file server so
 * both answer alike. Hashed assets never change under their name: cached for a year.
 * index.html names the current hashes: always revalidated. Written without lookahead
 * so Caddy's RE2 takes the same expression.
 */
export const HASHED_ASSET = "^/assets/|[-.][A-Za-z0-9_-]{8,}\\.(js|mjs|css|woff2?|ttf|png|jpe?g|gif|svg|webp|avif|ico|wasm|map)$";
export const IMMUTABLE = "public, max-age=31536000, immutable";
export const NO_CACHE = "no-cache";

const hashed = new RegExp(HASHED_ASSET);

/** The Cache-Control for a served path (the file's URL path, after any SPA fallback). */
export function cacheControlFor(path: string): string | null {
	if (path === "/" || path.endsWith("/index.html") || path.endsWith(".html")) return NO_CACHE;
	return hashed.test(path) ? IMMUTABLE : null;
}
