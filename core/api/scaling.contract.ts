// issue 7: the contract entries (input schema, stream or not) of ScalingApiGroups'
// methods, spread into apiMethods (core/api/contract.ts). Zod and core/protocol only:
// the Electron preload bundles this file.
import * as z from "zod";
import { appTarget, TARGET_HINT } from "./target.contract.js";


export const scalingApiMethods = {
	"autoscale.status": { stream: false, hint: TARGET_HINT, input: z.strictObject(appTarget) },
	"autoscale.log": { stream: false, hint: TARGET_HINT, input: z.strictObject({ ...appTarget, limit: z.number().int().min(1).max(1000).optional() }) },
	"doctor.run": { stream: false, input: z.strictObject({ server: appTarget.server, dir: appTarget.dir }) },
} as const;
