import { runCommand } from "../output/run.js";
import { printDeployResult } from "./deploy.js";

/** `deploy preview [dir]`: the same pipeline on this machine, no SSH, no internet. */
export async function previewCommand(dir: string, options: { json?: boolean; port?: number }): Promise<void> {
	await runCommand(options, async (context) => {
		const started = Date.now();
		const result = await context.api.preview.create(
			{ dir, ...(options.port !== undefined ? { port: options.port } : {}) },
			{ onEvent: context.onEvent, signal: context.signal },
		);
		printDeployResult(context, result, Date.now() - started);
	});
}
