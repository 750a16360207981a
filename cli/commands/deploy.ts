import pc from "picocolors";
import type { DeployResult } from "../../core/api/index.js";
import { formatBytes } from "../../core/deploy/upload.js";
import { formatDuration } from "../output/human.js";
import { runCommand } from "../output/run.js";

interface DeployOptions {
	json?: boolean;
	server?: string;
	app?: string;
	/** false with --no-wait: fail at once when another deploy of the app runs. */
	wait: boolean;
}

/** `deploy [dir]`: exit code 0 only when the new version is live. */
export async function deployCommand(dir: string, options: DeployOptions): Promise<void> {
	await runCommand(options, async (context) => {
		const started = Date.now();
		const result = await context.api.deployments.create(
			{ dir, wait: options.wait, ...(options.server ? { server: options.server } : {}), ...(options.app ? { app: options.app } : {}) },
			{ onEvent: context.onEvent, signal: context.signal },
		);
		printDeployResult(context, result, Date.now() - started);
	});
}

export function printDeployResult(context: { json: boolean; print(value: unknown, human: () => string): void }, result: DeployResult, elapsedMs: number): void {
	context.print({ type: "result", ...result }, () => {
		process.stderr.write(
			`${pc.green("✔")} ${result.app} is live on ${result.server} ${pc.dim(`(${result.id}, ${formatDuration(elapsedMs)}, ${result.upload.objectsSent} objects / ${formatBytes(result.upload.bytesSent)} sent)`)}\n`,
		);
		return result.url ?? "";
	});
}
