// issue 7: the contract entries (input schema, stream or not) of MetricsApiGroups'
// methods, spread into apiMethods (core/api/contract.ts). Zod and core/protocol only:
// the Electron preload bundles this file.
import * as z from "zod";
import { metricsSince } from "../protocol/metrics.js";
import { appTarget } from "./target.contract.js";

const hint = "`deploy metrics --since 1h|24h|30d` shows the app's metrics; `deploy alerts` its alerts.";


export const metricsApiMethods = {
	"metrics.get": { stream: false, hint, input: z.strictObject({ ...appTarget, since: metricsSince.optional() }) },
	"metrics.alerts": { stream: false, hint, input: z.strictObject({ ...appTarget, limit: z.number().int().min(1).max(1000).optional() }) },
} as const;
