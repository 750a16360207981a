import { readFile } from "node:fs/promises";
import type { Invite, MemberInfo, TeamListing, Whoami } from "../../core/api/team.js";
import { parseDuration } from "../../core/protocol/duration.js";
import { DeployError } from "../../core/protocol/errors.js";
import { table } from "../output/human.js";
import { runCommand } from "../output/run.js";

interface ServerOptions {
	json?: boolean;
	server?: string;
}

const on = (options: ServerOptions) => (options.server ? { server: options.server } : {});

export async function teamCreateCommand(name: string, options: ServerOptions & { apps?: string[] }): Promise<void> {
	await runCommand(options, async (context) => {
		const team = await context.api.team.create({ ...on(options), name, ...(options.apps ? { apps: options.apps } : {}) }, { signal: context.signal });
		context.print(team, () => `Team ${team.name} created${team.apps.length ? ` with ${team.apps.join(", ")}` : ""}. Add members with \`deploy team add <name> --key <file.pub> --team ${team.name}\`.`);
	});
}

export async function teamAddCommand(id: string, options: ServerOptions & { team: string; role: "member" | "admin" | "owner"; key?: string; email?: string; inviteExpires?: string; apps?: string[]; canDeployProduction?: boolean }): Promise<void> {
	await runCommand(options, async (context) => {
		const publicKey = options.key ? await readKey(options.key) : undefined;
		const inviteExpiresInSeconds = options.inviteExpires === undefined ? undefined : durationSeconds("--invite-expires", options.inviteExpires);
		const member = await context.api.team.add(
			{ ...on(options), id, team: options.team, role: options.role, ...(publicKey ? { publicKey } : {}), ...(options.email ? { email: options.email } : {}), ...(inviteExpiresInSeconds ? { inviteExpiresInSeconds } : {}), apps: options.apps ?? null, canDeployProduction: options.canDeployProduction === true },
			{ signal: context.signal },
		);
		context.print(member, () => {
			const added = `${member.id} is ${options.role} in team ${options.team}`;
			const ssh = member.fingerprint ? `${added} (key ${member.fingerprint}). They set up with \`deploy servers add <name> <user@host> --identity <their key>\`.` : `${added} (no SSH key: a login to the HTTPS API only).`;
			return member.invite ? `${ssh}\n${inviteText(member.id, member.invite)}` : ssh;
		});
	});
}

/** Issue 17: `team invite`: a new one-time link for a member's login; the previous one stops working. */
export async function teamInviteCommand(id: string, options: ServerOptions & { team?: string; email?: string; expires?: string }): Promise<void> {
	await runCommand(options, async (context) => {
		const expiresInSeconds = options.expires === undefined ? undefined : durationSeconds("--expires", options.expires);
		const made = await context.api.team.invite({ ...on(options), id, ...(options.team ? { team: options.team } : {}), ...(options.email ? { email: options.email } : {}), ...(expiresInSeconds ? { expiresInSeconds } : {}) }, { signal: context.signal });
		context.print(made, () => `${made.id} logs in as ${made.email}.\n${inviteText(made.id, made.invite)}`);
	});
}

/** The link to hand to the member (once: the server keeps only its hash), or the token while the HTTPS API is off. */
function inviteText(id: string, invite: Invite): string {
	const until = `It works once, until ${invite.expiresAt}; \`deploy team invite ${id}\` makes a new one.`;
	if (invite.url) return `Send ${id} this link to set a password (shown only now):\n  ${invite.url}\n${until}`;
	return `Their invite token (shown only now): ${invite.token}\nThe HTTPS API is off: the link https://<domain>/invite#<token> works once \`deploy servers api enable <server> --domain <domain>\` has run. ${until}`;
}

/** `--invite-expires 24h`: whole seconds, read as every duration of the CLI is; a minute to 30 days. */
function durationSeconds(flag: string, text: string): number {
	const ms = /^\d+\s*[smhdw]$/.test(text.trim()) ? parseDuration(text) : null;
	if (!ms || ms < 60_000 || ms > 30 * 86_400_000) throw new DeployError("BAD_ARGUMENT", `${flag} ${text} is not a duration from a minute to 30 days.`, `Write it as a number and a unit, like ${flag} 72h, 24h or 7d.`);
	return Math.round(ms / 1000);
}

export async function teamSetCommand(id: string, options: ServerOptions & { team?: string; role?: "member" | "admin" | "owner"; apps?: string[]; allApps?: boolean; canDeployProduction?: boolean }): Promise<void> {
	await runCommand(options, async (context) => {
		if (options.apps && options.allApps) throw new DeployError("BAD_ARGUMENT", "--apps and --all-apps contradict each other.", "Pass one of them.");
		const apps = options.allApps ? null : options.apps;
		const member = await context.api.team.set(
			{ ...on(options), id, ...(options.team ? { team: options.team } : {}), ...(options.role ? { role: options.role } : {}), ...(apps !== undefined ? { apps } : {}), ...(options.canDeployProduction !== undefined ? { canDeployProduction: options.canDeployProduction } : {}) },
			{ signal: context.signal },
		);
		context.print(member, () => `${member.id}: ${membershipsText(member)}. It takes effect on their next command.`);
	});
}

export async function teamRmCommand(id: string, options: ServerOptions & { team?: string }): Promise<void> {
	await runCommand(options, async (context) => {
		const removed = await context.api.team.remove({ ...on(options), id, ...(options.team ? { team: options.team } : {}) }, { signal: context.signal });
		context.print(removed, () => (removed.removedKey ? `${id} removed, and their key with them: they can no longer log in.` : `${id} removed from team ${options.team}.`));
	});
}

export async function teamLsCommand(options: ServerOptions): Promise<void> {
	await runCommand(options, async (context) => {
		const listing = await context.api.team.list(on(options), { signal: context.signal });
		context.print(listing, () => teamsText(listing));
	});
}

export async function whoamiCommand(options: ServerOptions): Promise<void> {
	await runCommand(options, async (context) => {
		const me = await context.api.team.whoami(on(options), { signal: context.signal });
		context.print(me, () => whoamiText(me));
	});
}

async function readKey(path: string): Promise<string> {
	const text = await readFile(path, "utf8").catch(() => {
		throw new DeployError("BAD_ARGUMENT", `Cannot read the public key file ${path}.`, "Pass the member's public key file, like --key alice.pub.");
	});
	return text.trim();
}

const membershipsText = (member: Pick<MemberInfo, "memberships">) =>
	member.memberships.map((m) => `${m.role} in ${m.team}${m.apps ? ` (apps ${m.apps.join(", ")})` : ""}${m.canDeployProduction ? ", may deploy production" : ""}`).join("; ");

function teamsText(listing: TeamListing): string {
	if (listing.teams.length === 0) return "No teams yet. Create one with `deploy team create <name>`.";
	return listing.teams
		.map((t) => {
			const rows = t.members.map((m) => [m.id, m.memberships[0]?.role ?? "-", m.memberships[0]?.apps?.join(",") ?? "all", m.memberships[0]?.canDeployProduction ? "yes" : "no", m.fingerprint ?? "-", m.email ?? "-", m.lastSeen ?? "never"]);
			const members = rows.length ? table(rows, ["MEMBER", "ROLE", "APPS", "PRODUCTION", "KEY", "LOGIN", "LAST SEEN"]) : "  no members";
			return `Team ${t.name}: apps ${t.apps.join(", ") || "none"}\n${members}`;
		})
		.join("\n\n");
}

function whoamiText(me: Whoami): string {
	if (me.member === null) return "You are this server's owner: every action is yours.";
	const who = `You are ${me.member} (key ${me.fingerprint ?? "unknown"}): ${membershipsText(me) || "in no team"}.`;
	// What the server would refuse, per app, as its rule table says (actions grouped by the role they need).
	const refusals = me.apps.map(({ app, team, refused }) => {
		const byRole = new Map<string, string[]>();
		for (const [action, reason] of Object.entries(refused)) byRole.set(reason.needs, [...(byRole.get(reason.needs) ?? []), action]);
		const needs = [...byRole].map(([role, actions]) => `${actions.sort().join(", ")} need ${role === "server-owner" ? "the server's owner" : role}`);
		return `  ${app} (team ${team}): ${needs.join("; ") || "everything your team allows"}`;
	});
	return refusals.length ? `${who}\nNot yours to do:\n${refusals.join("\n")}` : who;
}
