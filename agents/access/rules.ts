// Issue 16: the one table of who may call what. Every RPC method of core/protocol has
// its rule here (the type makes a missing one a compile error), and the dispatch
// checks it before any handler runs (agents/access/guard.ts), so no handler can
// forget. Roles rank member < admin < owner < the server's owner.
import type { MethodName } from "../../core/protocol/methods.js";
import type { LeastRole } from "../../core/protocol/team.js";

/**
 * - server: about the server, no app (hello, status); the caller's best role in any team counts.
 * - app: one app; the caller's role in that app's team counts, and the app must be one they were given.
 * - listing: every app the caller may see: allowed by their best role, the answer filtered to their apps.
 * - team: one team's members (`team` in the params, else the member's only team).
 */
export type Scope = "server" | "app" | "listing" | "team";

export interface Rule {
	/** What the audit log and the refusal call it. */
	action: string;
	scope: Scope;
	least: LeastRole;
	/** The least role when the app is a preview (a member deploys previews). */
	previewLeast?: LeastRole;
	/** `--can-deploy-production` lets a member do this to production too. */
	grantable?: boolean;
	/** Written to the audit log when it runs (every refusal is, whatever the method). */
	audit: boolean;
}

const read = (action: string, scope: Scope = "app"): Rule => ({ action, scope, least: "member", audit: false });
const change = (action: string, least: LeastRole, scope: Scope = "app"): Rule => ({ action, scope, least, audit: true });
const deployLike = (action: string): Rule => ({ action, scope: "app", least: "admin", previewLeast: "member", grantable: true, audit: true });
/** A method whose `app` is optional: one app's rule with it, the listing without. */
const appOrListing = (rule: Rule) => (params: { app?: string }) => (params.app ? rule : { ...rule, scope: "listing" as const });

type RuleOf = Rule | ((params: never) => Rule);

export const accessRules: Record<MethodName, RuleOf> = {
	hello: read("server.hello", "server"),
	status: read("server.status", "server"),
	whoami: read("team.whoami", "server"),
	"team.ls": read("team.list", "server"),
	doctor: change("server.doctor", "admin", "server"),
	setup: change("server.setup", "server-owner", "server"),
	shutdown: change("server.shutdown", "server-owner", "server"),
	"team.create": change("team.create", "server-owner", "server"),
	"team.add": change("team.add", "owner", "team"),
	"team.set": change("team.set", "owner", "team"),
	"team.rm": change("team.remove", "owner", "team"),
	"team.invite": change("team.invite", "owner", "team"),
	"audit.list": appOrListing({ action: "audit.list", scope: "app", least: "admin", audit: false }),
	// The upload before a deploy: the deploy itself is what is checked (and audited).
	"objects.missing": read("deploy.upload", "server"),
	"objects.put": read("deploy.upload", "server"),
	"objects.write": read("deploy.upload", "server"),
	deploy: deployLike("app.deploy"),
	rollback: deployLike("app.rollback"),
	cancel: deployLike("app.cancel"),
	"deployments.remove": { action: "app.remove-deployment", scope: "app", least: "admin", previewLeast: "member", audit: true },
	scale: change("app.scale", "admin"),
	"cache.clear": (params: { app?: string }) => (params.app ? change("app.cache-clear", "admin") : change("server.cache-clear", "server-owner", "server")),
	ps: appOrListing(read("app.ps")),
	events: appOrListing(read("app.events")),
	"deployments.list": appOrListing(read("app.deployments")),
	"deployments.log": read("app.build-log"),
	logs: read("app.logs"),
	"domains.list": read("app.domains"),
	"domains.add": change("app.domains-add", "admin"),
	"domains.remove": change("app.domains-remove", "admin"),
	"env.list": (params: { reveal?: boolean }) => (params.reveal ? change("app.env-reveal", "admin") : read("app.env-names")),
	"env.change": change("app.env-change", "admin"),
	"autoscale.status": appOrListing(read("app.autoscale")),
	"autoscale.log": read("app.autoscale-log"),
	"metrics.get": appOrListing(read("app.metrics")),
	"metrics.alerts": appOrListing(read("app.alerts")),
	// Issue 17: a team's owner makes and revokes its API keys; the HTTPS API is the server's owner's to open.
	"keys.create": change("keys.create", "owner", "team"),
	"keys.revoke": change("keys.revoke", "owner", "team"),
	"keys.ls": { action: "keys.list", scope: "server", least: "owner", audit: false },
	"api.enable": change("server.api-enable", "server-owner", "server"),
	"api.disable": change("server.api-disable", "server-owner", "server"),
	"api.status": read("server.api-status", "server"),
	"api.dashboard": change("server.api-dashboard", "server-owner", "server"),
	// Issue 18: the live release's source again, as a deploy of it.
	redeploy: deployLike("app.redeploy"),
	// Issue 18: making an app's repository sets what its pushes deploy with.
	"git.remote": change("app.git-remote", "admin"),
	// A push: each of its deploys and removals is checked as the deploy it is (handlers/git.ts).
	"git.receive": read("app.push", "server"),
	// Issue 18, items 2 and 3: a hook deploys the app, so making or removing one is an admin's; a delivery runs as the hook (an admin of the app's team).
	"hooks.add": change("app.hooks-add", "admin"),
	"hooks.list": appOrListing(read("app.hooks")),
	"hooks.remove": change("app.hooks-remove", "admin"),
	"hooks.deliveries": appOrListing(read("app.hook-deliveries")),
	"hooks.deliver": change("app.hook-delivery", "admin"),
};

export function ruleFor(method: MethodName, params: unknown): Rule {
	const rule = accessRules[method];
	return typeof rule === "function" ? (rule as (p: unknown) => Rule)(params) : rule;
}
