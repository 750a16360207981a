import type { ApiContext } from "./context.js";

/**
 * issue 7: the api groups for auto-scaling, resource limits and doctor, merged into Api (core/api/index.ts). Each
 * method loads its implementation on first use, like the rest of the api.
 */
// biome-ignore lint/suspicious/noEmptyInterface: the groups of this area are added here
export interface ScalingApiGroups {}

export function createScalingApiGroups(_context: ApiContext): ScalingApiGroups {
	return {};
}
