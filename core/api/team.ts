import type { AuditEntry, Invite, MemberInfo, TeamListing, Whoami } from "../protocol/team.js";
import type { ApiContext } from "./context.js";
import type { StreamOptions } from "./types.js";

export type { AppAccess, AuditEntry, Invite, MemberInfo, Membership, RefusalReason, TeamListing, TeamRole, Whoami } from "../protocol/team.js";

/** Which server a team command talks to: named, else the one of the project folder, else the only one. */
export interface ServerTargetInput {
	server?: string;
	dir?: string;
}

export interface MemberChange extends ServerTargetInput {
	id: string;
	team?: string;
	role?: "member" | "admin" | "owner";
	apps?: string[] | null;
	canDeployProduction?: boolean;
}

/** Issue 16: teams, members and the audit log of a server. The server decides who may do what; these only ask. */
export interface TeamApiGroups {
	team: {
		list(input: ServerTargetInput, options?: StreamOptions): Promise<TeamListing>;
		create(input: ServerTargetInput & { name: string; apps?: string[] }, options?: StreamOptions): Promise<{ name: string; apps: string[] }>;
		/** Issue 17: with `email`, the answer carries the member's one-time invite to set a password. */
		add(input: MemberChange & { team: string; role: "member" | "admin" | "owner"; publicKey?: string; email?: string; inviteExpiresInSeconds?: number }, options?: StreamOptions): Promise<MemberInfo & { invite?: Invite }>;
		/** Issue 17: a new invite for a member's login (the previous one stops working). */
		invite(input: ServerTargetInput & { id: string; team?: string; email?: string; expiresInSeconds?: number }, options?: StreamOptions): Promise<{ id: string; email: string; invite: Invite }>;
		set(input: MemberChange, options?: StreamOptions): Promise<MemberInfo>;
		remove(input: ServerTargetInput & { id: string; team?: string }, options?: StreamOptions): Promise<{ id: string; removedKey: boolean }>;
		whoami(input: ServerTargetInput, options?: StreamOptions): Promise<Whoami>;
		audit(input: ServerTargetInput & { app?: string; sinceSeconds?: number; limit?: number }, options?: StreamOptions): Promise<AuditEntry[]>;
	};
}

export function createTeamApiGroups(context: ApiContext): TeamApiGroups {
	const load = () => import("../team/calls.js");
	return {
		team: {
			list: async (input, options) => (await load()).teamCall(context, input, options, "team.ls", {}),
			create: async ({ server, dir, ...params }, options) => (await load()).teamCall(context, { server, dir }, options, "team.create", params),
			add: async ({ server, dir, ...params }, options) => (await load()).teamCall(context, { server, dir }, options, "team.add", params),
			invite: async ({ server, dir, ...params }, options) => (await load()).teamCall(context, { server, dir }, options, "team.invite", params),
			set: async ({ server, dir, ...params }, options) => (await load()).teamCall(context, { server, dir }, options, "team.set", params),
			remove: async ({ server, dir, ...params }, options) => (await load()).teamCall(context, { server, dir }, options, "team.rm", params),
			whoami: async (input, options) => (await load()).teamCall(context, input, options, "whoami", {}),
			audit: async ({ server, dir, ...params }, options) => (await load()).teamCall(context, { server, dir }, options, "audit.list", params),
		},
	};
}
