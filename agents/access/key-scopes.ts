// Issue 17: what an API key may do, as the roles of issue 16 say it. A key's request
// goes through the same guard as a member's SSH call (guard.ts `admit`): the key stands
// for one membership in its team, made from its scope by the table below, and a read
// key is refused anything the audit log would record (every change) and uploads.
//
// | scope  | role in the key's team | production deploys | changes anything |
// |--------|------------------------|--------------------|------------------|
// | read   | member                 | no                 | no (reads only: no preview deploys, no uploads) |
// | deploy | member                 | yes (--can-deploy-production) | deploys, rollbacks, cancels, previews |
// | write  | admin                  | yes                | + env, domains, scale, caches |
// | admin  | owner                  | yes                | + the team's members and keys |
//
// No key is ever the server's owner: setup, shutdown, team create, `api enable` stay SSH-only.
import type { KeyScope } from "../../core/protocol/api-keys.js";
import type { Membership, TeamRole } from "../../core/protocol/team.js";
import type { Rule } from "./rules.js";

export const scopeRoles: Record<KeyScope, { role: TeamRole; canDeployProduction: boolean; readOnly: boolean }> = {
	read: { role: "member", canDeployProduction: false, readOnly: true },
	deploy: { role: "member", canDeployProduction: true, readOnly: false },
	write: { role: "admin", canDeployProduction: true, readOnly: false },
	admin: { role: "owner", canDeployProduction: true, readOnly: false },
};

/** The one membership a key stands for. */
export function keyMembership(key: { team: string; scope: KeyScope; apps: string[] | null }): Membership {
	const { role, canDeployProduction } = scopeRoles[key.scope];
	return { team: key.team, role, apps: key.apps, canDeployProduction };
}

/** Whether a key's scope lets it make this call at all (the role check comes after, in decide.ts). */
export function scopeAllows(scope: KeyScope, rule: Rule): boolean {
	if (!scopeRoles[scope].readOnly) return true;
	return !rule.audit && rule.action !== "deploy.upload";
}
