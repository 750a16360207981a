import type { ApiContext } from "./context.js";

/**
 * issue 6: the api groups for preview deployments per branch, merged into Api (core/api/index.ts). Each
 * method loads its implementation on first use, like the rest of the api.
 */
// biome-ignore lint/suspicious/noEmptyInterface: the groups of this area are added here
export interface PreviewsApiGroups {}

export function createPreviewsApiGroups(_context: ApiContext): PreviewsApiGroups {
	return {};
}
