// Issue 16: the decision itself, pure: a caller's memberships, a rule, the call's
// target; no file is read here (guard.ts gathers the facts).
import type { LeastRole, Membership } from "../../core/protocol/team.js";
import type { Rule } from "./rules.js";

const RANK: Record<LeastRole, number> = { member: 0, admin: 1, owner: 2, "server-owner": 3 };

export interface Target {
	/** The app the call is about (a preview's production app); null for the server, a listing or a team. */
	app: string | null;
	/** The team of that app, or the team a team method names. */
	team: string | null;
	preview: boolean;
}

export type Decision =
	| { ok: true }
	/** `invisible`: the app is not one the caller was given; the refusal says no more than for an app that does not exist. */
	| { ok: false; needs: LeastRole; invisible: boolean; team: string | null; role: LeastRole | null };

/** `memberships` null: the server's owner, who may do everything. */
export function decide(memberships: Membership[] | null, rule: Rule, target: Target): Decision {
	if (memberships === null) return { ok: true };
	const least = target.preview && rule.previewLeast ? rule.previewLeast : rule.least;
	if (rule.scope === "server" || rule.scope === "listing") {
		const best = memberships.reduce<LeastRole | null>((top, m) => (top === null || RANK[m.role] > RANK[top] ? m.role : top), null);
		if (best !== null && RANK[best] >= RANK[least]) return { ok: true };
		return { ok: false, needs: least, invisible: false, team: null, role: best };
	}
	const membership = memberships.find((m) => m.team === target.team);
	const given = membership && (rule.scope === "team" || target.app === null || membership.apps === null || membership.apps.includes(target.app));
	if (!membership || !given) return { ok: false, needs: least, invisible: rule.scope === "app", team: target.team, role: null };
	if (RANK[membership.role] >= RANK[least]) return { ok: true };
	if (rule.grantable && !target.preview && membership.canDeployProduction && least === "admin") return { ok: true };
	return { ok: false, needs: least, invisible: false, team: target.team, role: membership.role };
}
