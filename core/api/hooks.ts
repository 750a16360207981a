// Issue 18, items 2 and 3: webhooks, `deploy hooks add|ls|rm|deliveries`. The server decides who may; these only ask.
import type { ForgeKind, HookDelivery, HookInfo } from "../protocol/hooks.js";
import type { ApiContext } from "./context.js";
import type { ServerTargetInput } from "./team.js";
import type { StreamOptions } from "./types.js";

export type { HookDelivery, HookInfo } from "../protocol/hooks.js";

export interface HookAddInput extends ServerTargetInput {
	forge: ForgeKind;
	repo: string;
	/** The app's name, when not deploy.yaml's (as `deploy --app`). */
	app?: string;
	/** The production branch, when not deploy.yaml's previews.productionBranch (else main). */
	branch?: string;
}

export interface HookAddResult {
	hook: HookInfo;
	server: string;
	/** Answered once: the server keeps it to check signatures, and never shows it again. */
	secret: string;
	/** The payload URL to give the forge; null while the server's API is not enabled (`path` is then below its future domain). */
	url: string | null;
	path: string;
	/** For an SSH repository: the public key to add to it as a read-only deploy key; null otherwise. */
	deployKey: string | null;
}

export interface HooksApiGroups {
	hooks: {
		add(input: HookAddInput, options?: StreamOptions): Promise<HookAddResult>;
		list(input: ServerTargetInput & { app?: string }, options?: StreamOptions): Promise<HookInfo[]>;
		remove(input: ServerTargetInput & { id: string }, options?: StreamOptions): Promise<HookInfo>;
		deliveries(input: ServerTargetInput & { app?: string }, options?: StreamOptions): Promise<HookDelivery[]>;
	};
}

export function createHooksApiGroups(context: ApiContext): HooksApiGroups {
	const load = () => import("../team/calls.js");
	return {
		hooks: {
			add: async (input, options) => (await import("../hooks/add.js")).addHook(context, input, options),
			list: async ({ server, dir, app }, options) => (await (await load()).teamCall(context, { server, dir }, options, "hooks.list", { app })).hooks,
			remove: async ({ server, dir, id }, options) => (await (await load()).teamCall(context, { server, dir }, options, "hooks.remove", { id })).removed,
			deliveries: async ({ server, dir, app }, options) => (await (await load()).teamCall(context, { server, dir }, options, "hooks.deliveries", { app })).deliveries,
		},
	};
}
