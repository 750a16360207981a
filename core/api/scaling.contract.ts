// issue 7: the contract entries (input schema, stream or not) of ScalingApiGroups'
// methods, spread into apiMethods (core/api/contract.ts). Zod and core/protocol only:
// the Electron preload bundles this file.
import * as z from "zod";
import { appName } from "../protocol/names.js";

const appTarget = { dir: z.string().min(1).optional(), app: appName.optional(), server: z.string().min(1).max(200).optional() };

export const scalingApiMethods = {
	"autoscale.status": { stream: false, input: z.strictObject(appTarget) },
	"autoscale.log": { stream: false, input: z.strictObject({ ...appTarget, limit: z.number().int().min(1).max(1000).optional() }) },
	"doctor.run": { stream: false, input: z.strictObject({ server: z.string().min(1).max(200).optional(), dir: z.string().min(1).optional() }) },
} as const;
