// Issue 17: API keys. Who may call these is decided before they run (agents/access/rules.ts:
// an owner of the key's team, or the server's owner); the key itself is answered once.
import { DeployError } from "../../core/protocol/errors.js";
import type { Handler } from "./call.js";
import { readTeamState } from "../access/team-store.js";
import { endKeyRequests } from "../api/key-requests.js";
import { createKey, listKeys, revokeKey } from "../api/key-store.js";

const keysCreate: Handler<"keys.create"> = async (params, call) => {
	const state = await readTeamState(call.agent.home.root);
	if (!state.teams.some((t) => t.name === params.team)) {
		throw new DeployError("TEAM_UNKNOWN", `This server has no team ${params.team}.`, "`deploy team ls` lists the teams; the server's owner creates one with `deploy team create`.");
	}
	const { key, info } = await createKey(call.agent.home.root, params);
	return { ...info, key };
};

/** The keys of the teams the caller owns; every key for the server's owner. */
const keysLs: Handler<"keys.ls"> = async (_params, call) => {
	const owned = call.access.memberships?.filter((m) => m.role === "owner").map((m) => m.team);
	return (await listKeys(call.agent.home.root)).filter((k) => owned === undefined || owned.includes(k.team));
};

const keysRevoke: Handler<"keys.revoke"> = async ({ name, team }, call) => {
	const revoked = await revokeKey(call.agent.home.root, name, team);
	// What it has open over HTTPS (a followed log) ends once this answer is out.
	call.afterReply(() => endKeyRequests(name));
	return revoked;
};

export const keysHandlers = { "keys.create": keysCreate, "keys.ls": keysLs, "keys.revoke": keysRevoke };
