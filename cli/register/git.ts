import type { Command } from "commander";

/** Issue 18: `git-remote`, the remote `deploy` that `git push` deploys through. Only commander loads here. */
export function registerGitCommands(program: Command): void {
	program
		.command("git-remote")
		.description("add the remote `deploy` to this repository: `git push deploy main` deploys production, other branches previews")
		.option("-s, --server <name>", "the server (default: deploy.yaml's, else the only one)")
		.option("--remote <name>", "the local remote's name", "deploy")
		.option("--json", "print JSON")
		.action(async (options) => (await import("../commands/git-remote.js")).gitRemoteCommand(options));
}
