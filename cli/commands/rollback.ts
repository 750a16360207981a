import { pc } from "../output/colors.js";
import { formatDuration } from "../../core/protocol/duration.js";
import { runCommand } from "../output/run.js";

interface RollbackOptions {
	json?: boolean;
	app?: string;
	server?: string;
	wait: boolean;
}

/** `deploy rollback [deployment]`: exit code 0 only when the kept release is live again. */
export async function rollbackCommand(deployment: string | undefined, options: RollbackOptions): Promise<void> {
	await runCommand(options, async (context) => {
		const started = Date.now();
		const record = await context.api.deployments.rollback(
			{ wait: options.wait, ...(deployment ? { to: deployment } : {}), ...(options.app ? { app: options.app } : {}), ...(options.server ? { server: options.server } : {}) },
			{ onEvent: context.onEvent, signal: context.signal },
		);
		const durationMs = Date.now() - started;
		context.print({ type: "result", ...record, durationMs }, () => {
			process.stderr.write(`${pc.green("✔")} ${record.app} rolled back: ${record.id} is live ${pc.dim(`(${formatDuration(durationMs)})`)}\n`);
			return record.url ?? "";
		});
	});
}
