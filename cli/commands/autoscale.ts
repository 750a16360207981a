import { decisionsTable, scalingLines } from "../output/scaling.js";
import { runCommand } from "../output/run.js";

interface TargetOptions {
	json?: boolean;
	app?: string;
	server?: string;
}

const target = (options: TargetOptions) => ({ ...(options.app ? { app: options.app } : {}), ...(options.server ? { server: options.server } : {}) });

/** `deploy autoscale log`: the app's decisions, oldest first; one JSON array with --json. */
export async function autoscaleLogCommand(options: TargetOptions & { limit?: number }): Promise<void> {
	await runCommand(options, async (context) => {
		const decisions = await context.api.autoscale.log({ ...target(options), ...(options.limit ? { limit: options.limit } : {}) }, { signal: context.signal });
		context.print(decisions, () => (decisions.length === 0 ? "No scaling decision yet. Set processes.<name>.autoscale (or limits) in deploy.yaml and deploy." : decisionsTable(decisions)));
	});
}

/** `deploy autoscale status`: a line per process with a policy or limits. */
export async function autoscaleStatusCommand(options: TargetOptions): Promise<void> {
	await runCommand(options, async (context) => {
		const processes = await context.api.autoscale.status(target(options), { signal: context.signal });
		const lines = scalingLines(processes);
		context.print(processes, () => (lines.length === 0 ? "No process has autoscale or limits. Set processes.<name>.autoscale or .limits in deploy.yaml." : lines.join("\n")));
	});
}
