import * as z from "zod";
import { deploymentRecord } from "./deployment.js";
import { errorInfo } from "./error-info.js";
import { appName, deploymentId } from "./names.js";
import { ttlDuration } from "./previews.js";
import { appSpec } from "./spec.js";

// Issue 18: deploys by `git push`. A bare repository per app in the agent's home
// (`<home>/git/<app>.git`), made by `deploy git-remote`; its pre-receive hook runs
// `agent.mjs git-hook`, which hands the pushed updates to the daemon in one call
// (`git.receive`) and prints the deploy's events as the push's remote output.

/** A commit id as git prints it (sha1). */
export const commitId = z.string().regex(/^[0-9a-f]{40}$/, "must be a 40-hex commit id");

/** Git's id of "nothing": the old side of a created ref, the new side of a deleted one. */
export const ZERO_COMMIT = "0".repeat(40);

/** A push option a user may give (`git push -o detach`). */
export const pushOption = z.string().min(1).max(100);

export const gitMethods = {
	redeploy: {
		/**
		 * The live release's source again (its kept manifest, spec and commit) as a new deployment, whether it
		 * was pushed or uploaded: what a push cannot do once the branch is "up to date". Caches hit, so nothing
		 * is rebuilt; new instances start from a new release, and the old ones drain.
		 */
		params: z.object({ app: appName, wait: z.boolean().default(true) }),
		result: deploymentRecord,
	},
	"git.remote": {
		/**
		 * Creates (or updates) the app's repository: the spec deploy.yaml gives today (a push deploys
		 * with it: the agent reads no deploy.yaml), the production branch and the previews' time to live.
		 */
		params: z.object({
			app: appSpec,
			productionBranch: z.string().min(1).max(255).optional(),
			previewTtl: ttlDuration.optional(),
			/** The git blob id of the deploy.yaml the spec was made from: a push whose deploy.yaml differs is told so. */
			configId: z.string().regex(/^[0-9a-f]{40}$/).optional(),
		}),
		result: z.object({ path: z.string(), created: z.boolean(), git: z.string() }),
	},
	"git.receive": {
		/** What the pre-receive hook read: the ref updates (its stdin), the push options, the quarantine's object folders. */
		params: z.object({
			app: appName,
			updates: z.array(z.object({ old: commitId, new: commitId, ref: z.string().min(1).max(300) })).min(1).max(50),
			options: z.array(pushOption).max(20).default([]),
			/** GIT_OBJECT_DIRECTORY and GIT_ALTERNATE_OBJECT_DIRECTORIES of the hook: where a pushed commit's objects are until it is accepted. */
			objects: z.object({ directory: z.string().max(4096), alternates: z.array(z.string().max(4096)).max(10) }).nullable(),
		}),
		result: z.object({
			results: z.array(
				z.object({
					ref: z.string(),
					/** deployed (live), detached (going on in the daemon), removed (a preview), ignored (not a branch), failed (`error` says why). */
					outcome: z.enum(["deployed", "detached", "removed", "ignored", "failed"]),
					app: appName.optional(),
					deployment: deploymentId.optional(),
					url: z.string().nullable().optional(),
					note: z.string().optional(),
					error: errorInfo.optional(),
				}),
			),
		}),
	},
};

/** Production branches when deploy.yaml's previews.productionBranch does not name one. */
export const DEFAULT_PRODUCTION_BRANCHES = ["main", "master"];
