import { z } from "zod";

// Issue 6: the HTTP rules of an app (redirects, rewrites, response headers, HSTS) as
// the agent receives them in its AppSpec and as every proxy driver renders them.

/** The rules one route carries; every driver must render them with the same behaviour. */
export const routeRules = z.object({});
export type RouteRules = z.infer<typeof routeRules>;

/** The keys these rules add to AppSpec (core/protocol/spec.ts spreads them in). */
export const appRoutingSpec = {};
