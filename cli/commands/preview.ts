import type { PreviewStopResult } from "../../core/api/types.js";
import { runCommand } from "../output/run.js";
import { printDeployResult } from "./deploy.js";

/** `deploy preview [dir]`: the same pipeline on this machine, no SSH, no internet. */
export async function previewCommand(dir: string, options: { json?: boolean; port?: number; stop?: boolean }): Promise<void> {
	if (options.stop) return stopCommand(options);
	await runCommand(options, async (context) => {
		const started = Date.now();
		const result = await context.api.preview.create(
			{ dir, ...(options.port !== undefined ? { port: options.port } : {}) },
			{ onEvent: context.onEvent, signal: context.signal },
		);
		printDeployResult(context, result, Date.now() - started);
		// Issue 14: the preview keeps running after the command ends; say how it stops.
		if (!context.json) process.stderr.write("  The preview keeps running in the background; `deploy preview --stop` stops it.\n");
	});
}

/** `deploy preview --stop`: its agent, proxy and apps stop; what was deployed stays for the next preview. */
async function stopCommand(options: { json?: boolean }): Promise<void> {
	await runCommand(options, async (context) => {
		const result = await context.api.preview.stop();
		context.print(result, () => stopSummary(result));
	});
}

export function stopSummary({ agent, instances, port }: PreviewStopResult): string {
	if (!agent && instances === 0) return "Nothing of the preview was running.";
	const apps = instances === 1 ? "1 app instance" : `${instances} app instances`;
	return `Stopped the preview: its agent and ${apps}${port !== null ? `; port ${port} is free` : ""}. \`deploy preview\` starts it again.`;
}
