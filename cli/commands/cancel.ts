import { pc } from "../output/colors.js";
import { runCommand } from "../output/run.js";

interface CancelOptions {
	json?: boolean;
	app?: string;
	server?: string;
}

/**
 * `deploy cancel [deployment]`: exit 0 when the deploy was stopped or none was running
 * (the output says which); the live release keeps serving either way.
 */
export async function cancelCommand(deployment: string | undefined, options: CancelOptions): Promise<void> {
	await runCommand(options, async (context) => {
		const result = await context.api.deployments.cancel({ ...(deployment ? { id: deployment } : {}), ...(options.app ? { app: options.app } : {}), ...(options.server ? { server: options.server } : {}) });
		context.print({ type: "result", ...result }, () => {
			if (!result.cancelled) return `No deploy of ${result.app} is running on ${result.server}: nothing to cancel.`;
			process.stderr.write(`${pc.green("✔")} cancelled ${result.cancelled}; the live release of ${result.app} keeps serving\n`);
			return result.cancelled;
		});
	});
}
