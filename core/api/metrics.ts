import type { ApiContext } from "./context.js";

/**
 * issue 7: the api groups for metrics and alerts, merged into Api (core/api/index.ts). Each
 * method loads its implementation on first use, like the rest of the api.
 */
// biome-ignore lint/suspicious/noEmptyInterface: the groups of this area are added here
export interface MetricsApiGroups {}

export function createMetricsApiGroups(_context: ApiContext): MetricsApiGroups {
	return {};
}
