// issue 6: the contract entries (input schema, stream or not) of DomainsApiGroups'
// methods, spread into apiMethods (core/api/contract.ts). Zod and core/protocol only:
// the Electron preload bundles this file.
import * as z from "zod";
import { appTarget, TARGET_HINT } from "./target.contract.js";
import { certificateWaitSeconds, domainName } from "../protocol/domains.js";


export const domainsApiMethods = {
	"domains.list": { stream: false, hint: TARGET_HINT, input: z.strictObject({ ...appTarget, dnsCheck: z.boolean().optional() }) },
	"domains.add": {
		stream: false,
		hint: TARGET_HINT,
		input: z.strictObject({ ...appTarget, domain: domainName, dnsCheck: z.boolean().optional(), wait: z.boolean().optional(), certificateWaitSeconds: certificateWaitSeconds.optional() }),
	},
	"domains.remove": { stream: false, hint: TARGET_HINT, input: z.strictObject({ ...appTarget, domain: domainName, wait: z.boolean().optional() }) },
} as const;
