// Issue 16: what `team ls`, `whoami` and `audit` show a caller: the server's owner
// everything, a member only their own teams (and the audit entries of their apps).
import { DEFAULT_TEAM, type AuditEntry, type TeamListing, type TeamState, type Whoami } from "../../core/protocol/team.js";
import { appAccessOf } from "./app-access.js";
import type { CallAccess } from "./call-access.js";

export function teamListing(state: TeamState, access: CallAccess, existingApps: string[]): TeamListing {
	const mine = access.memberships?.map((m) => m.team);
	const names = [...(state.teams.some((t) => t.name === DEFAULT_TEAM) ? [] : [{ name: DEFAULT_TEAM, createdAt: "" }]), ...state.teams];
	const appsOf = (team: string) => (team === DEFAULT_TEAM ? existingApps.filter((app) => !state.apps[app]) : Object.keys(state.apps).filter((app) => state.apps[app] === team)).filter((app) => access.visible(app)).sort();
	return {
		teams: names
			.filter((t) => (mine ? mine.includes(t.name) : t.name !== DEFAULT_TEAM || existingApps.length > 0 || state.members.some((m) => m.memberships.some((x) => x.team === DEFAULT_TEAM))))
			.map((t) => ({
				...t,
				apps: appsOf(t.name),
				members: state.members
					.filter((m) => m.memberships.some((x) => x.team === t.name))
					.map(({ publicKey: _key, ...m }) => ({ ...m, memberships: m.memberships.filter((x) => x.team === t.name) })),
			})),
	};
}

/** `productionApps`: the apps on the server that are not previews; a member is told what their role cannot do to each they see. */
export function whoamiOf(state: TeamState, access: CallAccess, productionApps: string[]): Whoami {
	const member = state.members.find((m) => m.id === access.caller.member);
	const seen = productionApps.filter((app) => access.visible(app)).sort().map((app) => ({ app, team: state.apps[app] ?? DEFAULT_TEAM }));
	// Issue 17: an API key is no member and not the server's owner: it says which key it is.
	const key = access.caller.key ? { key: { name: access.caller.key.name, scope: access.caller.key.scope } } : {};
	return {
		member: access.caller.member,
		fingerprint: member?.fingerprint ?? null,
		client: access.caller.client,
		memberships: access.memberships ?? [],
		apps: appAccessOf(access.memberships, seen),
		...key,
	};
}

/** The entries a caller may read: all for the server's owner; for an admin or owner, those of their apps, their teams' member changes, and their own. */
export function visibleAudit(entries: AuditEntry[], access: CallAccess): AuditEntry[] {
	if (access.memberships === null) return entries;
	const led = access.memberships.filter((m) => m.role !== "member").map((m) => m.team);
	// Issue 17: a key's own entries are those made with it (its member is null, as the server owner's are).
	const own = (e: AuditEntry) => (access.caller.key ? e.key === access.caller.key.name : e.key === undefined && e.member === access.caller.member);
	return entries.filter((e) => (e.app ? access.visible(e.app) : own(e) || led.includes(String(e.args.team ?? ""))));
}
