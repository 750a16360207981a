// issue 7: the contract entries (input schema, stream or not) of MetricsApiGroups'
// methods, spread into apiMethods (core/api/contract.ts). Zod and core/protocol only:
// the Electron preload bundles this file.
export const metricsApiMethods = {} as const;
