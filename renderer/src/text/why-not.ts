// Issue 16, item 6: why the caller may not do something, in words, from what `whoami`
// answered (the agent computes each refusal from its one rule table: no rule is repeated
// here). null: nothing known against it, so the button stays enabled and the server decides.
import type { RefusalReason, Whoami } from "../../../core/api/team.js";

/** The actions the desktop offers on an app, as the agent's rule table names them. */
export type AppAction = "app.deploy" | "app.rollback" | "app.cancel" | "app.env-change" | "app.env-reveal" | "app.domains-add" | "app.domains-remove" | "app.scale";

/** The server's owner (no member, no API key): nothing is refused. */
const isServerOwner = (me: Whoami) => me.member === null && !me.key;

export function whyNot(me: Whoami | undefined, action: AppAction, app: string): string | null {
	if (!me || isServerOwner(me)) return null;
	const reason = me.apps.find((a) => a.app === app)?.refused[action];
	return reason ? reasonText(reason) : null;
}

export function reasonText(reason: RefusalReason): string {
	if (reason.needs === "server-owner") return "Only the server's owner can do this.";
	const as = reason.role ? `you are ${reason.role}` : "you have no role there";
	return `Needs ${reason.needs} in team ${reason.team ?? "of this app"} (${as}).`;
}

/** What only the server's owner (the key of `servers add`) can do: a shell, an agent upgrade. */
export function whyNotOwnerOnly(me: Whoami | undefined, what: string): string | null {
	if (!me || isServerOwner(me)) return null;
	return `Only the server's owner can ${what} (you are ${me.member ?? `the API key ${me.key?.name}`}, ${me.member ? "a team member" : `of scope ${me.key?.scope}`}).`;
}
