import type { Command } from "commander";

/** issue 6: the commands for preview deployments per branch. Only commander loads here; each action imports its module when it runs. */
export function registerPreviewsCommands(program: Command): void {
	program
		.command("rm")
		.description("remove a deployment: a preview goes whole (instances, route, files); another kept release loses its files. The live production release is refused (roll back first).")
		.argument("<deployment>", "the deployment's id, from `deploy ls`")
		.option("-a, --app <name>", "the app whose server to ask (default: the one in this folder)")
		.option("-s, --server <name>", "the server (default: deploy.yaml's, else the app's, else the only one)")
		.option("--no-wait", "fail at once when a deploy of the app is running, instead of waiting for it")
		.option("--json", "print JSON")
		.action(async (deployment: string, options) => (await import("../commands/rm.js")).rmCommand(deployment, options));
}
