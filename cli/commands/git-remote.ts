import { pc } from "../output/colors.js";
import { runCommand } from "../output/run.js";

interface GitRemoteOptions {
	json?: boolean;
	server?: string;
	remote?: string;
}

/** `deploy git-remote`: the server's repository for this app, as the local remote `deploy`. */
export async function gitRemoteCommand(options: GitRemoteOptions): Promise<void> {
	await runCommand(options, async (context) => {
		const result = await context.api.git.remote({ ...(options.server ? { server: options.server } : {}), ...(options.remote ? { remote: options.remote } : {}) });
		context.print({ type: "result", ...result }, () => {
			process.stderr.write(`${pc.green("✔")} ${result.created ? "created" : "updated"} the repository of ${result.app} on ${result.server}\n`);
			return [
				`remote ${result.remote}: ${result.url}`,
				`git push ${result.remote} ${result.productionBranch}     deploys production`,
				`git push ${result.remote} <branch>   deploys a preview of the branch; \`git push ${result.remote} :<branch>\` removes it`,
				`git push -o detach ${result.remote} ${result.productionBranch}   returns at once with the deployment's id`,
				"A change to deploy.yaml reaches pushes once you run `deploy git-remote` again.",
			].join("\n");
		});
	});
}
