import type { Command } from "commander";

/** Issue 18, items 2 and 3: `hooks add|ls|rm|deliveries`, webhooks that deploy a forge's pushes. Only commander loads here. */
export function registerHooksCommands(program: Command): void {
	const hooks = program.command("hooks").description("webhooks: a push to GitHub deploys (production branch) or previews (any other) the commit, fetched by the server");
	hooks
		.command("add")
		.description("add a webhook for this folder's app: prints its URL and secret once, for the repository's webhook settings")
		.argument("<forge>", "the forge that sends the pushes: github, gitea (also Forgejo) or gitlab")
		.requiredOption("--repo <url>", "the repository the server fetches from, e.g. https://github.com/acme/shop.git")
		.option("-a, --app <name>", "the app (default: the one in this folder)")
		.option("--branch <name>", "the production branch (default: deploy.yaml's previews.productionBranch, else main)")
		.option("-s, --server <name>", "the server (default: deploy.yaml's, else the only one)")
		.option("--json", "print JSON (the secret included, once)")
		.action(async (forge: string, options) => (await import("../commands/hooks.js")).hooksAddCommand(forge, options));
	hooks
		.command("ls")
		.description("the hooks of the apps you may see: id, app, forge, repository, production branch (never the secret)")
		.option("-a, --app <name>", "only this app's")
		.option("-s, --server <name>", "the server")
		.option("--json", "print one JSON array")
		.action(async (options) => (await import("../commands/hooks.js")).hooksLsCommand(options));
	hooks
		.command("rm")
		.description("remove a hook: its deliveries are refused from then on")
		.argument("<id>", "the hook's id (hk_…), as `deploy hooks ls` shows")
		.option("-s, --server <name>", "the server")
		.option("--json", "print JSON")
		.action(async (id: string, options) => (await import("../commands/hooks.js")).hooksRmCommand(id, options));
	hooks
		.command("deliveries")
		.description("the deliveries the forges made, newest last: id, time, signature ok, branch, deployment, result")
		.option("-a, --app <name>", "only this app's")
		.option("-s, --server <name>", "the server")
		.option("--json", "print one JSON array")
		.action(async (options) => (await import("../commands/hooks.js")).hooksDeliveriesCommand(options));
}
