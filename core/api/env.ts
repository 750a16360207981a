import type { ApiContext } from "./context.js";

/**
 * issue 7: the api groups for encrypted environment variables, merged into Api (core/api/index.ts). Each
 * method loads its implementation on first use, like the rest of the api.
 */
// biome-ignore lint/suspicious/noEmptyInterface: the groups of this area are added here
export interface EnvApiGroups {}

export function createEnvApiGroups(_context: ApiContext): EnvApiGroups {
	return {};
}
