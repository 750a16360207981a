// issue 6: the contract entries (input schema, stream or not) of DomainsApiGroups'
// methods, spread into apiMethods (core/api/contract.ts). Zod and core/protocol only:
// the Electron preload bundles this file.
import * as z from "zod";
import { certificateWaitSeconds, domainName } from "../protocol/domains.js";
import { appName } from "../protocol/names.js";

const appTarget = { dir: z.string().min(1).optional(), app: appName.optional(), server: z.string().min(1).max(200).optional() };

export const domainsApiMethods = {
	"domains.list": { stream: false, input: z.strictObject({ ...appTarget, dnsCheck: z.boolean().optional() }) },
	"domains.add": {
		stream: false,
		input: z.strictObject({ ...appTarget, domain: domainName, dnsCheck: z.boolean().optional(), wait: z.boolean().optional(), certificateWaitSeconds: certificateWaitSeconds.optional() }),
	},
	"domains.remove": { stream: false, input: z.strictObject({ ...appTarget, domain: domainName, wait: z.boolean().optional() }) },
} as const;
