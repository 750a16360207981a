// issue 7: the contract entries (input schema, stream or not) of MetricsApiGroups'
// methods, spread into apiMethods (core/api/contract.ts). Zod and core/protocol only:
// the Electron preload bundles this file.
import * as z from "zod";
import { appName } from "../protocol/names.js";

const appTarget = { dir: z.string().min(1).optional(), app: appName.optional(), server: z.string().min(1).max(200).optional() };

export const metricsApiMethods = {
	"metrics.get": {
		stream: false,
		input: z.strictObject({ ...appTarget, since: z.string().regex(/^\d{1,5}[mhd]$/, "must be a duration like 1h, 24h or 30d").optional() }),
	},
	"metrics.alerts": { stream: false, input: z.strictObject({ ...appTarget, limit: z.number().int().min(1).max(1000).optional() }) },
} as const;
