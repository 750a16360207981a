// issue 7: the contract entries (input schema, stream or not) of EnvApiGroups'
// methods, spread into apiMethods (core/api/contract.ts). Zod and core/protocol only:
// the Electron preload bundles this file.
import * as z from "zod";
import { envEnvironment, envKey, envValue } from "../protocol/env.js";
import { appTarget } from "./target.contract.js";

const target = { ...appTarget, environment: envEnvironment.optional() };
const hint = "Names are letters, digits and _ (not starting with a digit); write KEY=VALUE.";
const file = z.string().min(1).max(4096);

export const envApiMethods = {
	"env.list": { stream: false, hint, input: z.strictObject({ ...target, reveal: z.boolean().optional(), key: envKey.optional() }) },
	"env.set": { stream: true, hint, input: z.strictObject({ ...target, vars: z.record(envKey, envValue), wait: z.boolean().optional() }) },
	"env.unset": { stream: true, hint, input: z.strictObject({ ...target, keys: z.array(envKey).min(1).max(10_000), wait: z.boolean().optional() }) },
	"env.import": { stream: true, hint, input: z.strictObject({ ...target, file, wait: z.boolean().optional() }) },
	"env.pull": { stream: false, hint, input: z.strictObject({ ...target, file: file.optional() }) },
} as const;
