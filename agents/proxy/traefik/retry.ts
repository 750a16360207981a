import { dialRetry } from "../dial-retry.js";
import type { AppRoute } from "../driver.js";

interface Router {
	service: string;
	middlewares?: string[];
	[key: string]: unknown;
}

interface Dynamic {
	http: { routers: Record<string, Router>; middlewares?: Record<string, object>; [key: string]: unknown };
}

/**
 * Traefik's retry middleware (../dial-retry.ts) on every router that reaches the app.
 * Traefik stops retrying once it has written the request's headers to an instance, so
 * only a failed dial is retried. It must come LAST in a chain: placed before a
 * middleware that answers by itself (a redirect), it would hold that answer back and
 * run the chain again until its attempts are spent.
 */
export function withTraefikRetry<T extends object>(route: AppRoute, rendered: T): T {
	const config = rendered as T & Dynamic;
	const name = `${route.app}_retry`;
	const routers: Record<string, Router> = {};
	for (const [key, router] of Object.entries(config.http.routers)) {
		routers[key] = onlyRedirects(router, config) ? router : { ...router, middlewares: [...(router.middlewares ?? []), name] };
	}
	return { ...config, http: { ...config.http, routers, middlewares: { ...config.http.middlewares, [name]: { retry: retryOptions() } } } };
}

/**
 * Traefik backs off exponentially from initialInterval to twice it (randomized by half),
 * so this many attempts take about dialRetry.totalMs.
 */
function retryOptions(): { attempts: number; initialInterval: string } {
	const meanPause = dialRetry.intervalMs * 1.5;
	return { attempts: 1 + Math.ceil(dialRetry.totalMs / meanPause), initialInterval: `${dialRetry.intervalMs}ms` };
}

/** A router that only sends HTTP to HTTPS never reaches the app. */
function onlyRedirects(router: Router, config: Dynamic): boolean {
	return (router.middlewares ?? []).some((name) => "redirectScheme" in (config.http.middlewares?.[name] ?? {}));
}
