import type { EnvChangeSummary, EnvEnvironment } from "../protocol/env.js";
import type { DeploymentRecord } from "../protocol/index.js";
import type { ApiContext } from "./context.js";
import type { StreamOptions } from "./types.js";

/** Which app's env: like every app command, the folder's app or --app, on its server or --server. */
export interface EnvTargetInput {
	dir?: string;
	app?: string;
	server?: string;
	/** Default production. */
	environment?: EnvEnvironment;
}

export interface EnvListInput extends EnvTargetInput {
	/** Values in the clear; otherwise masked. */
	reveal?: boolean;
	/** Only this variable: what the desktop asks for to reveal one value at a time. */
	key?: string;
}

export interface EnvVariable {
	key: string;
	/** Masked (••••••) unless revealed. */
	value: string;
	updatedAt: string;
}

export interface EnvListResult {
	app: string;
	server: string;
	environment: EnvEnvironment;
	vars: EnvVariable[];
	/** True when the server could not be reached and this is the copy kept on this machine (as of `fetchedAt`). */
	cached: boolean;
	fetchedAt: string;
}

export interface EnvSetInput extends EnvTargetInput {
	vars: Record<string, string>;
	wait?: boolean;
}

export interface EnvUnsetInput extends EnvTargetInput {
	keys: string[];
	wait?: boolean;
}

export interface EnvImportInput extends EnvTargetInput {
	/** A .env file; relative to `dir` (or the current folder). */
	file: string;
	wait?: boolean;
}

export interface EnvPullInput extends EnvTargetInput {
	/** The .env file to merge into (made when missing); default `.env` in `dir`. */
	file?: string;
}

export interface EnvChangeResult {
	app: string;
	server: string;
	environment: EnvEnvironment;
	summary: EnvChangeSummary;
	/** The release made with the new env; null when none was needed (no live release, preview env, nothing changed). */
	deployment: DeploymentRecord | null;
}

export interface EnvPullResult {
	app: string;
	server: string;
	environment: EnvEnvironment;
	file: string;
	added: string[];
	changed: string[];
	unchanged: string[];
	/** Keys only in the local file: kept. */
	keptLocal: string[];
}

/**
 * issue 7: the api groups for encrypted environment variables, merged into Api (core/api/index.ts). Each
 * method loads its implementation on first use, like the rest of the api.
 */
export interface EnvApiGroups {
	env: {
		list(input: EnvListInput, options?: StreamOptions): Promise<EnvListResult>;
		/** Sets variables: a new release of the live build with them (no rebuild). */
		set(input: EnvSetInput, options?: StreamOptions): Promise<EnvChangeResult>;
		unset(input: EnvUnsetInput, options?: StreamOptions): Promise<EnvChangeResult>;
		/** Sets every variable of a .env file in one release. */
		import(input: EnvImportInput, options?: StreamOptions): Promise<EnvChangeResult>;
		/** Merges the server's values into a local .env file; reports keys, never values. */
		pull(input: EnvPullInput, options?: StreamOptions): Promise<EnvPullResult>;
	};
}

export function createEnvApiGroups(context: ApiContext): EnvApiGroups {
	return {
		env: {
			list: async (input, options) => (await import("../env/operations.js")).listEnv(context, input, options),
			set: async (input, options) => (await import("../env/operations.js")).setEnv(context, input, options),
			unset: async (input, options) => (await import("../env/operations.js")).unsetEnv(context, input, options),
			import: async (input, options) => (await import("../env/operations.js")).importEnv(context, input, options),
			pull: async (input, options) => (await import("../env/operations.js")).pullEnv(context, input, options),
		},
	};
}
