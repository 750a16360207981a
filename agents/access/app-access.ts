// Issue 16, item 6: what a member's role cannot do to each app they see, computed from
// THE table (rules.ts) and the decision (decide.ts) for `whoami`, so the desktop can
// disable a button with the server's own reason and keeps no copy of the rules.
import type { MethodName } from "../../core/protocol/methods.js";
import type { AppAccess, Membership, RefusalReason } from "../../core/protocol/team.js";
import { decide } from "./decide.js";
import { accessRules, ruleFor } from "./rules.js";

/**
 * Every app-scoped action of the table, as it applies to production `app`: each method's
 * rule with the app named (and `reveal`, the one flag that makes a read a change).
 * `memberships` null (the server's owner) refuses nothing.
 */
export function appAccessOf(memberships: Membership[] | null, apps: { app: string; team: string }[]): AppAccess[] {
	if (memberships === null) return [];
	return apps.map(({ app, team }) => {
		const refused: Record<string, RefusalReason> = {};
		for (const method of Object.keys(accessRules) as MethodName[]) {
			const rule = ruleFor(method, { app, reveal: true });
			if (rule.scope !== "app") continue;
			const decision = decide(memberships, rule, { app, team, preview: false });
			if (!decision.ok) refused[rule.action] = { needs: decision.needs, team: decision.team, role: decision.role === "server-owner" ? null : decision.role };
		}
		return { app, team, refused };
	});
}
