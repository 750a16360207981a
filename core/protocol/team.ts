// Issue 16: teams, members and roles, enforced by the agent. The wire types of the
// team methods and of the state the agent keeps (team.json in its home): the server is
// the truth, the client's store only mirrors what `team.ls` answers.
import * as z from "zod";
import { appName } from "./names.js";

/** The roles of a team member, weakest first. The server's owner (the key of `servers add`) is above all of them. */
export const teamRoles = ["member", "admin", "owner"] as const;
export const teamRole = z.enum(teamRoles);
export type TeamRole = z.infer<typeof teamRole>;

/** What the access rules name as the least role for an action: a team role, or the server's owner alone. */
export type LeastRole = TeamRole | "server-owner";

export const teamName = z
	.string()
	.regex(/^[a-z][a-z0-9-]{0,31}$/, "must start with a letter: lowercase letters, digits and dashes, at most 32");
/** A member's name on the server, unique across its teams: what the forced command of their key says. */
export const memberId = teamName;

/** One line of an OpenSSH public key file: `<type> <base64> [comment]`. Checked for real by the agent. */
export const publicKeyLine = z.string().min(16).max(16_384);

export const membership = z.object({
	team: teamName,
	role: teamRole,
	/** The team's apps this member may touch; null: every app of the team. */
	apps: z.array(appName).nullable(),
	/** A member (role `member`) may deploy and roll back production too. */
	canDeployProduction: z.boolean(),
});
export type Membership = z.infer<typeof membership>;

/** Issue 17: the address a member logs in to the HTTPS API with (lowercased: one member per address). */
export const memberEmail = z
	.string()
	.trim()
	.toLowerCase()
	.max(254)
	.pipe(z.email({ message: "must be an email address, like carol@example.com" }));

export const memberInfo = z.object({
	id: memberId,
	/** `SHA256:…`, as `ssh-keygen -l` prints it; null for a member who only logs in to the HTTPS API (issue 17). */
	fingerprint: z.string().nullable(),
	/** Issue 17: the member's login for the HTTPS API and the dashboard; absent: none. */
	email: z.string().optional(),
	addedAt: z.string(),
	/** The last call the agent served this member; null before their first. */
	lastSeen: z.string().nullable(),
	memberships: z.array(membership),
});
export type MemberInfo = z.infer<typeof memberInfo>;

/** team.json in the agent's home: version 1. */
export const teamState = z.object({
	version: z.literal(1),
	teams: z.array(z.object({ name: teamName, createdAt: z.string() })),
	members: z.array(memberInfo.extend({ publicKey: z.string().nullable() })),
	/** Which team each app belongs to; an app not listed belongs to the server's default team. */
	apps: z.record(appName, teamName),
});
export type TeamState = z.infer<typeof teamState>;

/** The team every app belongs to until it is given to another. */
export const DEFAULT_TEAM = "default";

/** Why a member may not do one action: the least role it needs, and their role (null: none) in the team that counts. */
export const refusalReason = z.object({
	needs: z.enum([...teamRoles, "server-owner"]),
	team: teamName.nullable(),
	role: teamRole.nullable(),
});
export type RefusalReason = z.infer<typeof refusalReason>;

/**
 * One app a member sees, with the actions (as agents/access/rules.ts names them:
 * `app.rollback`, `app.env-change`…) their role cannot do to it. The agent computes it
 * from its own rule table, so the desktop disables a button for the server's reason
 * without a copy of the rules; the server still decides each call.
 */
export const appAccess = z.object({
	app: appName,
	team: teamName,
	refused: z.record(z.string(), refusalReason),
});
export type AppAccess = z.infer<typeof appAccess>;

export const whoami = z.object({
	/** null: the server's owner (the key of `servers add`), who may do everything. */
	member: memberId.nullable(),
	fingerprint: z.string().nullable(),
	/** The SSH client's address as the server saw it (SSH_CLIENT's first field); null over a local socket. */
	client: z.string().nullable(),
	memberships: z.array(membership),
	/** A member's apps and what their role cannot do to each; empty for the server's owner (who may do everything) and from agents older than this field. */
	apps: z.array(appAccess).default([]),
	/** Issue 17: a request of the HTTPS API made with an API key (member null, yet not the server's owner). */
	key: z.object({ name: z.string(), scope: z.string() }).optional(),
});
export type Whoami = z.infer<typeof whoami>;

export const auditEntry = z.object({
	time: z.string(),
	member: memberId.nullable(),
	fingerprint: z.string().nullable(),
	client: z.string().nullable(),
	action: z.string(),
	method: z.string(),
	app: appName.nullable(),
	/** The call's arguments without secret values (env values never) and without bulk (manifests, file contents). */
	args: z.record(z.string(), z.unknown()),
	/** `ok`, `denied`, or the error code the call failed with. */
	result: z.string(),
	/** Issue 17: the API key a request of the HTTPS API was made with (its name; member and fingerprint are then null). */
	key: z.string().optional(),
});
export type AuditEntry = z.infer<typeof auditEntry>;

/** Issue 17: how long an invite may stay usable: 72 hours unless said, 30 days at most. */
export const DEFAULT_INVITE_SECONDS = 72 * 3600;
const inviteSeconds = z.number().int().min(60).max(30 * 86_400);

/** A one-time invite, answered once to whoever made it: the token sets the member's password (POST /api/v1/auth/invite). */
const invite = z.object({
	token: z.string(),
	expiresAt: z.string(),
	/** `https://<api domain>/invite#<token>` (the token in the fragment: never sent to a server); null while the HTTPS API is off. */
	url: z.string().nullable(),
});
export type Invite = z.infer<typeof invite>;

const teamListing = z.object({
	teams: z.array(z.object({ name: teamName, createdAt: z.string(), apps: z.array(appName), members: z.array(memberInfo) })),
});
export type TeamListing = z.infer<typeof teamListing>;

export const teamMethods = {
	"team.ls": {
		/** The teams the caller belongs to (every team for the server's owner), their members and apps. */
		params: z.object({}),
		result: teamListing,
	},
	"team.create": {
		params: z.object({ name: teamName, apps: z.array(appName).max(1000).default([]) }),
		result: z.object({ name: teamName, apps: z.array(appName) }),
	},
	"team.add": {
		/** Adds a member with their own key (installed with a forced command), or gives a member a role in one more team. */
		params: z.object({
			id: memberId,
			team: teamName,
			role: teamRole,
			publicKey: publicKeyLine.optional(),
			/** Issue 17: a login for the HTTPS API; with it, the key is optional and the answer carries a one-time invite. */
			email: memberEmail.optional(),
			inviteExpiresInSeconds: inviteSeconds.optional(),
			apps: z.array(appName).max(1000).nullable().default(null),
			canDeployProduction: z.boolean().default(false),
		}),
		result: memberInfo.extend({ invite: invite.optional() }),
	},
	"team.invite": {
		/** Issue 17: a new one-time invite for a member's login (the previous one stops working); `email` sets or changes their address. */
		params: z.object({ id: memberId, team: teamName.optional(), email: memberEmail.optional(), expiresInSeconds: inviteSeconds.optional() }),
		result: z.object({ id: memberId, email: z.string(), invite }),
	},
	"team.set": {
		/** Changes a member's role, apps or production right in one team (their only one when `team` is not given). */
		params: z.object({
			id: memberId,
			team: teamName.optional(),
			role: teamRole.optional(),
			apps: z.array(appName).max(1000).nullable().optional(),
			canDeployProduction: z.boolean().optional(),
		}),
		result: memberInfo,
	},
	"team.rm": {
		/** Removes a member from one team, or from the server with their key when `team` is not given (or it was their last). */
		params: z.object({ id: memberId, team: teamName.optional() }),
		result: z.object({ id: memberId, removedKey: z.boolean() }),
	},
	whoami: {
		params: z.object({}),
		result: whoami,
	},
	"audit.list": {
		/** The audit log, oldest first: the newest `limit` entries since `sinceSeconds` ago, of one app or all the caller may see. */
		params: z.object({ app: appName.optional(), sinceSeconds: z.number().int().min(1).optional(), limit: z.number().int().min(1).max(100_000).default(1000) }),
		result: z.array(auditEntry),
	},
} as const satisfies Record<string, { params: z.ZodType; result: z.ZodType }>;
