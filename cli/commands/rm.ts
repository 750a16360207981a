import { pc } from "../output/colors.js";
import { runCommand } from "../output/run.js";

interface RmOptions {
	json?: boolean;
	app?: string;
	server?: string;
	/** false with --no-wait. */
	wait: boolean;
}

/** `deploy rm <deployment>`: exit 0 once it is gone; a refused live release exits 1 and changes nothing. */
export async function rmCommand(deployment: string, options: RmOptions): Promise<void> {
	await runCommand(options, async (context) => {
		const result = await context.api.releases.remove(
			{ id: deployment, wait: options.wait, ...(options.app ? { app: options.app } : {}), ...(options.server ? { server: options.server } : {}) },
			{ onEvent: context.onEvent, signal: context.signal },
		);
		context.print({ type: "result", ...result }, () => {
			if (result.removed === "preview") {
				const branch = result.preview ? ` (preview of ${result.preview.of}, branch ${result.preview.branch})` : "";
				process.stderr.write(`${pc.green("✔")} removed ${result.app}${branch} from ${result.server}: ${result.stopped} instance(s) stopped, its route and files are gone\n`);
			} else {
				process.stderr.write(`${pc.green("✔")} removed the files of ${result.deployment} of ${result.app} on ${result.server}; it can no longer be rolled back to\n`);
			}
			return result.deployment;
		});
	});
}
