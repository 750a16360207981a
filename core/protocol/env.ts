import * as z from "zod";
import { deploymentRecord } from "./deployment.js";
import { appName } from "./names.js";

/** Which set of secrets: the live app's, or the one preview deployments of the app get. */
export const envEnvironment = z.enum(["production", "preview"]);
export type EnvEnvironment = z.infer<typeof envEnvironment>;

/** What a shell accepts as a variable name; the same rule as deploy.yaml's env keys. */
export const envKey = z
	.string()
	.max(256)
	// The message names the key (a name, never a value), so `deploy env unset 1BAD` says which one.
	.regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: (issue) => `${JSON.stringify(issue.input)} is not a variable name: it must start with a letter or _ and hold only letters, digits and _` });
export const envValue = z.string().max(64 * 1024);

/** One variable as listed: the value only when asked for (`reveal`), else null. */
export const envEntry = z.object({ key: z.string(), value: z.string().nullable(), updatedAt: z.string() });
export type EnvEntry = z.infer<typeof envEntry>;

export const envListing = z.object({ app: appName, environment: envEnvironment, vars: z.array(envEntry) });
export type EnvListing = z.infer<typeof envListing>;

/** Keys only: what a change did. Values never travel back. */
export const envChangeSummary = z.object({ added: z.array(z.string()), changed: z.array(z.string()), removed: z.array(z.string()), unchanged: z.array(z.string()) });
export type EnvChangeSummary = z.infer<typeof envChangeSummary>;

// issue 7: the agent's RPC methods for encrypted environment variables. Spread into core/protocol/methods.ts;
// this file is the whole wire contract of the area.
export const envMethods = {
	"env.list": {
		/** The app's variables of one environment, values masked unless `reveal`. */
		params: z.object({ app: appName, environment: envEnvironment.default("production"), reveal: z.boolean().default(false) }),
		result: envListing,
	},
	"env.change": {
		/**
		 * Sets and unsets variables in one step. For production with a live release, a new
		 * release of the same build starts with the new env (health-checked, switched like
		 * a deploy; no install, no build); it streams step events. The values are stored
		 * only once that release is live: a release that fails changes nothing.
		 */
		params: z
			.object({
				app: appName,
				environment: envEnvironment.default("production"),
				set: z.record(envKey, envValue).default({}),
				unset: z.array(envKey).max(10_000).default([]),
				wait: z.boolean().default(true),
			})
			.refine((p) => Object.keys(p.set).length + p.unset.length > 0, { message: "nothing to set or unset" }),
		result: z.object({ app: appName, environment: envEnvironment, summary: envChangeSummary, deployment: deploymentRecord.nullable() }),
	},
} as const satisfies Record<string, { params: z.ZodType; result: z.ZodType }>;
