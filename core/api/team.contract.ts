// Issue 16: the contract entries of TeamApiGroups' methods, spread into apiMethods
// (core/api/contract.ts). Zod and core/protocol only: the Electron preload bundles this file.
import * as z from "zod";
import { appName } from "../protocol/names.js";
import { memberEmail, memberId, publicKeyLine, teamName, teamRole } from "../protocol/team.js";
import { serverName } from "./target.contract.js";

const server = { server: serverName.optional(), dir: z.string().min(1).optional() };
/** Issue 17: an invite lasts a minute to 30 days (the agent checks the same bounds). */
const inviteSeconds = z.number().int().min(60).max(30 * 86_400);
const TEAM_HINT = "See `deploy team --help`.";

export const teamApiMethods = {
	"team.list": { stream: false, input: z.strictObject(server) },
	"team.create": { stream: false, hint: TEAM_HINT, input: z.strictObject({ ...server, name: teamName, apps: z.array(appName).max(1000).optional() }) },
	"team.add": {
		stream: false,
		hint: TEAM_HINT,
		input: z.strictObject({ ...server, id: memberId, team: teamName, role: teamRole, publicKey: publicKeyLine.optional(), email: memberEmail.optional(), inviteExpiresInSeconds: inviteSeconds.optional(), apps: z.array(appName).max(1000).nullable().optional(), canDeployProduction: z.boolean().optional() }),
	},
	"team.set": {
		stream: false,
		hint: TEAM_HINT,
		input: z.strictObject({ ...server, id: memberId, team: teamName.optional(), role: teamRole.optional(), apps: z.array(appName).max(1000).nullable().optional(), canDeployProduction: z.boolean().optional() }),
	},
	"team.invite": { stream: false, hint: TEAM_HINT, input: z.strictObject({ ...server, id: memberId, team: teamName.optional(), email: memberEmail.optional(), expiresInSeconds: inviteSeconds.optional() }) },
	"team.remove": { stream: false, hint: TEAM_HINT, input: z.strictObject({ ...server, id: memberId, team: teamName.optional() }) },
	"team.whoami": { stream: false, input: z.strictObject(server) },
	"team.audit": { stream: false, input: z.strictObject({ ...server, app: appName.optional(), sinceSeconds: z.number().int().min(1).optional(), limit: z.number().int().min(1).max(100_000).optional() }) },
} as const;
