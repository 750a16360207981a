// issue 6: the contract entries (input schema, stream or not) of DomainsApiGroups'
// methods, spread into apiMethods (core/api/contract.ts). Zod and core/protocol only:
// the Electron preload bundles this file.
export const domainsApiMethods = {} as const;
