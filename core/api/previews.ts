import type { RemovalResult } from "../protocol/previews.js";
import type { ApiContext } from "./context.js";
import type { AppTargetInput, StreamOptions } from "./types.js";

export type { PreviewInfo, RemovalResult } from "../protocol/previews.js";

/** `deploy rm <deployment>`: the id, and where to look for it (the server as read commands pick it). */
export interface RemoveDeploymentInput extends AppTargetInput {
	id: string;
	/** When a deploy of the app runs: wait for it (default), or fail with DEPLOY_IN_PROGRESS. */
	wait?: boolean;
}

export interface RemoveDeploymentResult extends RemovalResult {
	server: string;
}

/**
 * issue 6: the api groups for preview deployments per branch, merged into Api (core/api/index.ts). Each
 * method loads its implementation on first use, like the rest of the api. Deploying a
 * preview is `deployments.create` with `preview`/`ttl`; this group removes them.
 */
export interface PreviewsApiGroups {
	releases: {
		/** Removes a preview whole, or one kept release's files; refuses the live release of a production app. */
		remove(input: RemoveDeploymentInput, options?: StreamOptions): Promise<RemoveDeploymentResult>;
	};
}

export function createPreviewsApiGroups(context: ApiContext): PreviewsApiGroups {
	return {
		releases: {
			remove: async (input, options) => (await import("../deploy/preview-remove.js")).removeDeployment(context, input, options),
		},
	};
}
