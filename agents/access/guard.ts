// Issue 16: the one check every RPC passes before its handler (agents/daemon/rpc-server.ts
// calls `admit`): the rule of the method (rules.ts), the caller's memberships (team.json),
// the app's team; a refusal is audited and thrown before anything runs, an admitted call
// is audited when it ends, and a listing is filtered to the apps the caller was given.
import type { KeyScope } from "../../core/protocol/api-keys.js";
import { DeployError } from "../../core/protocol/errors.js";
import type { MethodName } from "../../core/protocol/methods.js";
import { DEFAULT_TEAM, type LeastRole, type Membership, type TeamState } from "../../core/protocol/team.js";
import type { AgentHome } from "../home.js";
import { appExists, appOfCall, previewOf } from "./app-of-call.js";
import { appendAudit, auditArgs } from "./audit-log.js";
import type { Caller } from "./caller.js";
import { type Decision, decide, type Target } from "./decide.js";
import { scopeAllows } from "./key-scopes.js";
import { type Rule, ruleFor } from "./rules.js";
import { changeTeamState, readTeamState } from "./team-store.js";

export interface Admitted {
	/** The caller's memberships; null for the server's owner. */
	memberships: Membership[] | null;
	/** Whether the caller may see an app (a listing keeps only those). */
	visible(app: string): boolean;
	/** Audits the call's outcome when its rule says so: `ok` or the error's code. */
	finish(result: string): Promise<void>;
}

export async function admit(home: AgentHome, caller: Caller, method: MethodName, params: Record<string, unknown>): Promise<Admitted> {
	const rule = ruleFor(method, params);
	// The server's owner may do everything: an unaudited call of theirs (an upload's many objects.put) reads no file.
	if (caller.member === null && !caller.key && !rule.audit) return { memberships: null, visible: () => true, finish: async () => undefined };
	const state = await readTeamState(home.root);
	const member = caller.member === null ? null : (state.members.find((m) => m.id === caller.member) ?? null);
	// Issue 17: an API key stands for one membership, made from its scope (key-scopes.ts).
	const memberships = caller.key ? [caller.key.membership] : caller.member === null ? null : (member?.memberships ?? []);
	const { app, previewOf: of } = appOfCall(home, method, params);
	const scopeApp = of ?? app;
	// deploy.yaml's `team:` places a new app; moving an app to another team is the server's owner's alone.
	const named = method === "deploy" ? (params.app as { team?: string } | undefined)?.team : undefined;
	if (named && named !== DEFAULT_TEAM && !state.teams.some((t) => t.name === named)) {
		throw new DeployError("TEAM_UNKNOWN", `deploy.yaml names the team ${named}, which this server does not have.`, "`deploy team ls` lists the teams; fix `team:` in deploy.yaml, or have the server's owner create it.");
	}
	/** An app's team: the one recorded; else (a new app) deploy.yaml's `team:`, else the caller's only team; else the default team. */
	const teamOf = (name: string): string => {
		const recorded = state.apps[name];
		if (recorded) return recorded;
		if (appExists(home, name)) return DEFAULT_TEAM;
		if (named) return named;
		return memberships?.length === 1 ? memberships[0]!.team : DEFAULT_TEAM;
	};
	const target: Target = {
		app: rule.scope === "app" ? scopeApp : null,
		team: rule.scope === "team" ? teamOfTeamCall(state, caller, params) : rule.scope === "app" && scopeApp ? teamOf(scopeApp) : null,
		preview: of !== null,
	};
	const audit = (result: string) =>
		appendAudit(home.root, {
			time: new Date().toISOString(),
			member: caller.member,
			fingerprint: member?.fingerprint ?? null,
			client: caller.client,
			action: rule.action,
			method,
			app,
			args: auditArgs(params),
			result,
			...(caller.key ? { key: caller.key.name } : {}),
		});
	if (caller.key && !scopeAllows(caller.key.scope, rule)) {
		await audit("denied");
		throw new DeployError("PERMISSION_DENIED", `${rule.action} changes the server, and the key ${caller.key.name} has the scope read.`, "Use a key of scope deploy, write or admin (`deploy keys create <name> --team <team> --scope deploy`).");
	}
	const decision = caller.member !== null && member === null ? ({ ok: false, needs: "member", invisible: false, team: null, role: null } as const) : decide(memberships, rule, target);
	if (!decision.ok) {
		await audit("denied");
		throw refusal(caller, rule, target, decision);
	}
	const moving = named !== undefined && scopeApp !== null && target.team !== null && named !== target.team;
	if (moving && memberships !== null) {
		await audit("denied");
		throw new DeployError("PERMISSION_DENIED", `${scopeApp} belongs to team ${target.team}, and deploy.yaml says ${named}: moving an app to another team needs the role the server's owner.`, `Set \`team: ${target.team}\` in deploy.yaml, or ask the server's owner to deploy it once with \`team: ${named}\`.`);
	}
	const visible = (name: string) => {
		if (memberships === null) return true;
		const production = previewOf(home, name) ?? name;
		const given = memberships.find((m) => m.team === teamOf(production));
		return given !== undefined && (given.apps === null || given.apps.includes(production));
	};
	return {
		memberships,
		visible,
		async finish(result) {
			// Issue 17: every request made with an API key is in the audit log, reads too.
			if (rule.audit || caller.key) await audit(result);
			// A new app a member deployed belongs to the team it was checked against.
			// The server's owner moving it with deploy.yaml's `team:` too.
			const team = moving ? named : target.team;
			if (method === "deploy" && result === "ok" && scopeApp && team && (moving || (team !== DEFAULT_TEAM && !state.apps[scopeApp]))) {
				await changeTeamState(home.root, (now) => ({ state: { ...now, apps: { ...now.apps, [scopeApp]: team } }, value: null }));
			}
		},
	};
}

/** A team method's team: the one named, else the target member's team the caller does not own (so a member of two teams is removed whole only by an owner of both). */
function teamOfTeamCall(state: TeamState, caller: Caller, params: Record<string, unknown>): string | null {
	if (typeof params.team === "string") return params.team;
	const target = state.members.find((m) => m.id === params.id);
	if (!target) return null;
	const mine = state.members.find((m) => m.id === caller.member)?.memberships ?? [];
	const notOwned = target.memberships.find((t) => !mine.some((m) => m.team === t.team && m.role === "owner"));
	return (notOwned ?? target.memberships[0])?.team ?? null;
}

const ROLE_TEXT: Record<LeastRole, string> = { member: "member", admin: "admin", owner: "owner", "server-owner": "the server's owner" };

function refusal(caller: Caller, rule: Rule, target: Target, decision: Exclude<Decision, { ok: true }>): DeployError {
	if (caller.key && !decision.invisible) return keyRefusal(caller.key.name, rule, target, decision);
	const who = caller.member ?? "you";
	if (decision.invisible) {
		// The same words whether the app exists or not: a member never learns of another team's apps.
		return new DeployError("PERMISSION_DENIED", `${target.app} is not an app of your team on this server.`, "`deploy whoami` lists your teams and apps; an owner of the app's team can give it to you (`deploy team set <you> --apps …`).");
	}
	const on = target.app ? ` on ${target.app}` : target.team ? ` in team ${target.team}` : "";
	const needs = ROLE_TEXT[decision.needs];
	const grant = rule.grantable && decision.needs === "admin" ? ` (or a member given --can-deploy-production)` : "";
	const as = decision.role ? `${who} is ${ROLE_TEXT[decision.role]}${decision.team ? ` in team ${decision.team}` : ""}` : `${who} has no role here`;
	const hint =
		decision.needs === "server-owner"
			? "Only the server's owner (the SSH key `servers add` was run with) may do that."
			: `An owner of ${decision.team ? `team ${decision.team}` : "your team"} can allow it: \`deploy team set ${who} --role ${decision.needs}\`.`;
	return new DeployError("PERMISSION_DENIED", `${rule.action}${on} needs the role ${needs}${grant}; ${as}.`, hint);
}

/** Issue 17: a key's refusal names the least scope that would allow it (key-scopes.ts's table), not a role to give a person. */
function keyRefusal(name: string, rule: Rule, target: Target, decision: Exclude<Decision, { ok: true }>): DeployError {
	const on = target.app ? ` on ${target.app}` : target.team ? ` in team ${target.team}` : "";
	const scope = leastScope(decision.needs, rule.grantable === true);
	const hint = scope ? `Use a key of scope ${scope} (\`deploy keys create <name> --team <team> --scope ${scope}\`).` : "Only the server's owner may do that, over SSH: no API key can.";
	return new DeployError("PERMISSION_DENIED", `${rule.action}${on} needs ${scope ? `a key of scope ${scope}` : "the server's owner"}; the key ${name} does not have it.`, hint);
}

function leastScope(needs: LeastRole, grantable: boolean): KeyScope | null {
	if (needs === "server-owner") return null;
	if (needs === "admin") return grantable ? "deploy" : "write";
	return needs === "owner" ? "admin" : "read";
}

/** Notes when a member was last served (at most once a minute: the state file is not rewritten per call). */
export async function markSeen(homeRoot: string, member: string, now = Date.now()): Promise<void> {
	const state = await readTeamState(homeRoot);
	const seen = state.members.find((m) => m.id === member)?.lastSeen;
	if (seen && now - Date.parse(seen) < 60_000) return;
	await changeTeamState(homeRoot, (current) => ({
		state: { ...current, members: current.members.map((m) => (m.id === member ? { ...m, lastSeen: new Date(now).toISOString() } : m)) },
		value: null,
	}));
}
