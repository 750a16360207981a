// Issue 18: who a webhook's deploy runs as. A hook is no person and no API key, yet it goes
// through the same guard (agents/access/guard.ts `admit`): it speaks as a key named
// `hook:<id>` (so the audit log names the hook) that stands for an admin of the app's team,
// allowed to deploy the app and its previews and nothing of the server's owner's.
import { DEFAULT_TEAM } from "../../core/protocol/team.js";
import type { Caller } from "../access/caller.js";
import { readTeamState } from "../access/team-store.js";
import type { StoredHook } from "./store.js";

export async function hookCaller(homeRoot: string, hook: StoredHook, client: string | null): Promise<Caller> {
	const state = await readTeamState(homeRoot);
	const team = state.apps[hook.app] ?? DEFAULT_TEAM;
	return { member: null, client, key: { name: `hook:${hook.id}`, scope: "write", membership: { team, role: "admin", apps: null, canDeployProduction: true } } };
}
