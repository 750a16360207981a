// issue 6: the contract entries (input schema, stream or not) of PreviewsApiGroups'
// methods, spread into apiMethods (core/api/contract.ts). Zod and core/protocol only:
// the Electron preload bundles this file.
import * as z from "zod";
import { appName, deploymentId } from "../protocol/names.js";

const appTarget = { dir: z.string().min(1).optional(), app: appName.optional(), server: z.string().min(1).max(200).optional() };

export const previewsApiMethods = {
	"releases.remove": { stream: false, input: z.strictObject({ ...appTarget, id: deploymentId, wait: z.boolean().optional() }) },
} as const;
