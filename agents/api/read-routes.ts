// Issue 17: the readable GET routes of the main read resources. Each names the RPC
// method it reads through (the compiler checks the name against the method list), the
// path's `{app}` and the query fill its params; a route may shape the answer (`view`),
// with the schema the OpenAPI document shows. Nothing here runs a method itself.
import * as z from "zod";
import { DeployError } from "../../core/protocol/errors.js";
import type { MethodName } from "../../core/protocol/methods.js";
import type { InstanceInfo } from "../../core/protocol/spec.js";

export interface ReadRoute {
	/** Below /api/v1; `{app}` is a path parameter. */
	path: string;
	method: MethodName;
	summary: string;
	view?: { schema: z.ZodType; shape(result: unknown): unknown };
}

const appsView = z.array(z.object({ name: z.string(), deploymentId: z.string(), instances: z.number().int(), running: z.number().int() }));

/** `ps` rows as one line per app: its live deployment and how many of its instances run. */
function appsOf(result: unknown): z.infer<typeof appsView> {
	const apps = new Map<string, z.infer<typeof appsView>[number]>();
	for (const row of result as InstanceInfo[]) {
		const app = apps.get(row.app) ?? { name: row.app, deploymentId: row.deploymentId, instances: 0, running: 0 };
		app.instances += 1;
		if (row.status === "running") app.running += 1;
		apps.set(row.app, app);
	}
	return [...apps.values()].sort((a, b) => a.name.localeCompare(b.name));
}

export const readRoutes: readonly ReadRoute[] = [
	{ path: "/apps", method: "ps", summary: "The apps the key may see, with their live deployment and instances", view: { schema: appsView, shape: appsOf } },
	{ path: "/apps/{app}/processes", method: "ps", summary: "An app's instances" },
	{ path: "/apps/{app}/deployments", method: "deployments.list", summary: "An app's deployments, newest first" },
	{ path: "/apps/{app}/logs", method: "logs", summary: "An app's log lines (NDJSON; `follow=true` keeps streaming)" },
	{ path: "/apps/{app}/env", method: "env.list", summary: "An app's environment variable names" },
	{ path: "/apps/{app}/domains", method: "domains.list", summary: "An app's domains and certificates" },
	{ path: "/deployments", method: "deployments.list", summary: "Deployments of every app the key may see" },
	{ path: "/metrics", method: "metrics.get", summary: "Request and resource metrics" },
	{ path: "/members", method: "team.ls", summary: "The teams, their members and apps" },
	{ path: "/keys", method: "keys.ls", summary: "The API keys of the teams the key owns (never a key itself)" },
	{ path: "/audit", method: "audit.list", summary: "The audit log" },
	{ path: "/status", method: "status", summary: "The server's health" },
	{ path: "/whoami", method: "whoami", summary: "What the key may do" },
];

/** A path part as text; a malformed escape is bad input (400), not a failure of the agent. */
function decodePart(part: string): string {
	try {
		return decodeURIComponent(part);
	} catch {
		throw new DeployError("BAD_REQUEST", `The path part ${part.slice(0, 100)} is not valid URL encoding.`, "Encode app names as they are: lowercase letters, digits and dashes.");
	}
}

/** The route a GET path matches, with the params its path gives. */
export function matchReadRoute(path: string): { route: ReadRoute; params: Record<string, string> } | null {
	for (const route of readRoutes) {
		const names = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
		const pattern = new RegExp(`^${route.path.replace(/\{\w+\}/g, "([^/]+)")}$`);
		const found = pattern.exec(path);
		if (found) return { route, params: Object.fromEntries(names.map((name, i) => [name, decodePart(found[i + 1]!)])) };
	}
	return null;
}
