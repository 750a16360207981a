import * as z from "zod";
import { parseDuration } from "./duration.js";
import { appName, deploymentId } from "./names.js";

// Issue 6: preview deployments per branch. A preview is an app of its own on the agent
// (named `<branch>-<app>`), so supervision, health checks, routes, logs and rollback
// work for it unchanged; this marker in its AppSpec says what it previews and how long
// it lives. This file is the whole wire contract of the area.

/** The longest a preview may live: a year. */
export const MAX_PREVIEW_TTL_SECONDS = 365 * 24 * 3600;

/** A time-to-live as a person writes it: `7d`, `12h`, `30m`, `2w`, `90s`. */
export const ttlDuration = z
	.string()
	.regex(/^[1-9][0-9]{0,5}[smhdw]$/, "must be a number and a unit, like 7d, 12h or 30m (s, m, h, d, w)")
	.refine((text) => ttlSeconds(text) <= MAX_PREVIEW_TTL_SECONDS, { message: "must be at most a year" });

/** Seconds in a duration that `ttlDuration` accepted. */
export function ttlSeconds(text: string): number {
	return (parseDuration(text) ?? 0) / 1000;
}

/** The time-to-live of a preview when neither deploy.yaml nor --ttl says. */
export const DEFAULT_PREVIEW_TTL = "7d";

/** The environment a deployment runs in; `deploy env` keeps a set of variables per environment. */
export const deployEnvironment = z.enum(["production", "preview"]);
export type DeployEnvironment = z.infer<typeof deployEnvironment>;

/** What a preview app's spec carries: the app it previews, the branch, how long it lives after each deploy. */
export const previewMarker = z.object({
	/** The production app this is a preview of. */
	of: appName,
	/** The git branch as it is named (not DNS-safe); the app's name is made from it. */
	branch: z.string().min(1).max(255),
	/** Seconds the preview lives after its latest deploy; then the agent removes it by itself. */
	ttlSeconds: z.number().int().min(1).max(MAX_PREVIEW_TTL_SECONDS),
	/** Which set of env variables the spec's env was taken from (always the preview one here). */
	environment: z.literal("preview").default("preview"),
});
export type PreviewMarker = z.infer<typeof previewMarker>;

/** The keys previews add to AppSpec (core/protocol/spec.ts spreads them in). */
export const appPreviewSpec = {
	/** Set on a preview app only; a production app has none. */
	preview: previewMarker.optional(),
};

/** A preview as the agent reports it beside its deployments (`deploy ls`). */
export const previewInfo = z.object({
	of: appName,
	branch: z.string(),
	/** When the agent removes it, unless it is deployed again before (its clock, ISO 8601). */
	expiresAt: z.string(),
});
export type PreviewInfo = z.infer<typeof previewInfo>;

/** The keys previews add to a deployment record (core/protocol/deployment.ts spreads them in). */
export const deploymentPreviewFields = {
	/** Present on the deployments of a preview app. */
	preview: previewInfo.optional(),
	/** Issue 14: which one a listed deployment is, said on every row of `deployments.list` so that production and previews are never taken for each other. */
	environment: deployEnvironment.optional(),
};

/** What `deployments.remove` did: a whole preview went, or one kept release's files. */
export const removalResult = z.object({
	app: appName,
	deployment: deploymentId,
	/** `preview`: the preview app is gone (instances, route, files); `release`: one non-live release's files are. */
	removed: z.enum(["preview", "release"]),
	/** Instances stopped. */
	stopped: z.number().int(),
	/** The preview that went, when it was one. */
	preview: previewInfo.optional(),
});
export type RemovalResult = z.infer<typeof removalResult>;

export const previewsMethods = {
	"deployments.remove": {
		/**
		 * Removes what a deployment id names: the live release of a preview (or any
		 * deployment of a preview that has none live) removes the whole preview; another
		 * kept release loses its files. The live release of a production app is refused
		 * (DEPLOYMENT_LIVE): nothing changes.
		 */
		params: z.object({ id: deploymentId, wait: z.boolean().default(true) }),
		result: removalResult,
	},
} as const satisfies Record<string, { params: z.ZodType; result: z.ZodType }>;
