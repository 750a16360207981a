import type { Command } from "commander";

/** Issue 18: `git-remote`, the remote `deploy` that `git push` deploys through, and `redeploy`. Only commander loads here. */
export function registerGitCommands(program: Command): void {
	program
		.command("git-remote")
		.description("add the remote `deploy` to this repository: `git push deploy main` deploys production, other branches previews")
		.option("-s, --server <name>", "the server (default: deploy.yaml's, else the only one)")
		.option("--remote <name>", "the local remote's name", "deploy")
		.option("--json", "print JSON")
		.action(async (options) => (await import("../commands/git-remote.js")).gitRemoteCommand(options));
	program
		.command("redeploy")
		.description("deploy the live release's source again as a new release (no upload, no push; caches make it quick)")
		.option("-a, --app <name>", "the app (default: the one in this folder)")
		.option("-s, --server <name>", "the server")
		.option("--no-wait", "fail at once when a deploy of the app is running, instead of waiting for it")
		.option("--json", "print JSON: events as JSON lines, the result last")
		.action(async (options) => (await import("../commands/redeploy.js")).redeployCommand(options));
}
