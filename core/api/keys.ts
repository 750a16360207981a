import type { ApiKeyInfo, ApiStatus, KeyScope } from "../protocol/api-keys.js";
import { DeployError } from "../protocol/errors.js";
import type { EnabledApi } from "../dashboard/enable.js";
import type { ApiContext } from "./context.js";
import type { ServerTargetInput } from "./team.js";
import type { StreamOptions } from "./types.js";

export type { ApiKeyInfo, ApiStatus, KeyScope } from "../protocol/api-keys.js";

export interface NewKeyInput extends ServerTargetInput {
	name: string;
	team: string;
	scope: KeyScope;
	apps?: string[] | null;
	expiresInSeconds?: number;
}

/** Issue 17: API keys and the server's HTTPS API. The server decides who may; these only ask (one RPC each). */
export interface KeysApiGroups {
	keys: {
		/** The key's text is in the answer once: the server keeps only its hash. */
		create(input: NewKeyInput, options?: StreamOptions): Promise<ApiKeyInfo & { key: string }>;
		list(input: ServerTargetInput, options?: StreamOptions): Promise<ApiKeyInfo[]>;
		/** `team` defaults to the team of the one key of that name the caller can see. */
		revoke(input: ServerTargetInput & { name: string; team?: string }, options?: StreamOptions): Promise<ApiKeyInfo>;
	};
	serverApi: {
		/** Issue 17, item 4: also puts the dashboard's build on the server (only the files it lacks travel). */
		enable(input: { server: string; domain: string }, options?: StreamOptions): Promise<EnabledApi>;
		disable(input: { server: string }, options?: StreamOptions): Promise<ApiStatus>;
		status(input: { server: string }, options?: StreamOptions): Promise<ApiStatus>;
	};
}

export function createKeysApiGroups(context: ApiContext): KeysApiGroups {
	const load = () => import("../team/calls.js");
	return {
		keys: {
			create: async ({ server, dir, ...params }, options) => (await load()).teamCall(context, { server, dir }, options, "keys.create", params),
			list: async (input, options) => (await load()).teamCall(context, input, options, "keys.ls", {}),
			revoke: async ({ server, dir, name, team }, options) => {
				const { teamCall } = await load();
				const keyTeam = team ?? (await teamOfKey(await teamCall(context, { server, dir }, options, "keys.ls", {}), name));
				return teamCall(context, { server, dir }, options, "keys.revoke", { name, team: keyTeam });
			},
		},
		serverApi: {
			enable: async (input, options) => (await import("../dashboard/enable.js")).enableApi(context, input, options),
			disable: async ({ server }, options) => (await load()).teamCall(context, { server }, options, "api.disable", {}),
			status: async ({ server }, options) => (await load()).teamCall(context, { server }, options, "api.status", {}),
		},
	};
}

function teamOfKey(keys: ApiKeyInfo[], name: string): string {
	const found = keys.find((k) => k.name === name);
	if (!found) throw new DeployError("API_KEY_UNKNOWN", `No key named ${name} on this server that you can see.`, "`deploy keys ls` lists the keys of the teams you own.");
	return found.team;
}
