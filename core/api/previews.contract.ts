// issue 6: the contract entries (input schema, stream or not) of PreviewsApiGroups'
// methods, spread into apiMethods (core/api/contract.ts). Zod and core/protocol only:
// the Electron preload bundles this file.
import * as z from "zod";
import { appTarget } from "./target.contract.js";
import { deploymentId } from "../protocol/names.js";


export const previewsApiMethods = {
	"releases.remove": { stream: false, hint: "`deploy ls` lists the deployments and their ids.", input: z.strictObject({ ...appTarget, id: deploymentId, wait: z.boolean().optional() }) },
} as const;
