import type { HookDelivery, HookInfo } from "../../core/api/hooks.js";
import { DeployError } from "../../core/protocol/errors.js";
import { forgeKind } from "../../core/protocol/hooks.js";
import { table } from "../output/human.js";
import { runCommand } from "../output/run.js";

interface ServerOptions {
	json?: boolean;
	server?: string;
	app?: string;
}

const on = (options: ServerOptions) => ({ ...(options.server ? { server: options.server } : {}), ...(options.app ? { app: options.app } : {}) });

export async function hooksAddCommand(forge: string, options: ServerOptions & { repo: string; branch?: string }): Promise<void> {
	await runCommand(options, async (context) => {
		const kind = forgeKind.safeParse(forge);
		if (!kind.success) throw new DeployError("BAD_ARGUMENT", `${JSON.stringify(forge)} is not a forge this version knows.`, "Use github, gitea (also Forgejo) or gitlab: `deploy hooks add github --repo <url>`.");
		const made = await context.api.hooks.add({ ...on(options), forge: kind.data, repo: options.repo, ...(options.branch ? { branch: options.branch } : {}) }, { signal: context.signal });
		context.print(made, () =>
			[
				`Hook ${made.hook.id} for ${made.hook.app} on ${made.server}: a push to ${made.hook.productionBranch} deploys production, any other branch a preview.`,
				"",
				`Payload URL:  ${made.url ?? `https://<api domain>${made.path}   (enable the API first: \`deploy servers api enable ${made.server} --domain <domain>\`)`}`,
				...(made.hook.forge === "gitlab" ? [`Secret token: ${made.secret}`, "Trigger:      Push events"] : ["Content type: application/json", `Secret:       ${made.secret}`, "Events:       Just the push event"]),
				...(made.deployKey ? ["", "Deploy key (add it to the repository as a read-only deploy key: the server fetches with it):", made.deployKey] : []),
				"",
				`The secret is shown only this once: paste it in the repository's ${made.hook.forge === "gitlab" ? "Settings > Webhooks > Add new webhook" : "Settings > Webhooks > Add webhook"}.`,
			].join("\n"),
		);
	});
}

export async function hooksLsCommand(options: ServerOptions): Promise<void> {
	await runCommand(options, async (context) => {
		const hooks = await context.api.hooks.list(on(options), { signal: context.signal });
		context.print(hooks, () => hooksText(hooks));
	});
}

export async function hooksRmCommand(id: string, options: ServerOptions): Promise<void> {
	await runCommand(options, async (context) => {
		const removed = await context.api.hooks.remove({ ...on(options), id }, { signal: context.signal });
		context.print(removed, () => `Removed hook ${removed.id} of ${removed.app} (${removed.repo}): its deliveries are refused from now on; remove the webhook on ${removed.forge} too.`);
	});
}

export async function hooksDeliveriesCommand(options: ServerOptions): Promise<void> {
	await runCommand(options, async (context) => {
		const deliveries = await context.api.hooks.deliveries(on(options), { signal: context.signal });
		context.print(deliveries, () => deliveriesText(deliveries));
	});
}

function hooksText(hooks: HookInfo[]): string {
	if (hooks.length === 0) return "No hooks. Add one with `deploy hooks add github --repo <url>` in the app's folder.";
	return table(
		hooks.map((h) => [h.id, h.app, h.forge, h.repo, h.productionBranch]),
		["ID", "APP", "FORGE", "REPOSITORY", "PRODUCTION"],
	);
}

function deliveriesText(deliveries: HookDelivery[]): string {
	if (deliveries.length === 0) return "No deliveries yet.";
	return table(
		deliveries.map((d) => [d.delivery || "-", d.time, d.app, d.event || "-", d.signatureOk ? "ok" : "BAD", d.branch ?? "-", d.deployment ?? "-", d.result, outcomeText(d.outcome)]),
		["DELIVERY", "TIME", "APP", "EVENT", "SIGNATURE", "BRANCH", "DEPLOYMENT", "RESULT", "DEPLOYED"],
	);
}

/** The deployment's own result: live, failed (its error code), cancelled, or still building. */
function outcomeText(outcome: HookDelivery["outcome"]): string {
	if (!outcome) return "-";
	return outcome.status === "failed" && outcome.error ? `failed (${outcome.error.code})` : outcome.status;
}
