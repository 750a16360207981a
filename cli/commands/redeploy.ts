import { formatDuration } from "../../core/protocol/duration.js";
import { pc } from "../output/colors.js";
import { runCommand } from "../output/run.js";

interface RedeployOptions {
	json?: boolean;
	app?: string;
	server?: string;
	wait: boolean;
}

/** `deploy redeploy`: exit code 0 only when the new release of the same source is live. */
export async function redeployCommand(options: RedeployOptions): Promise<void> {
	await runCommand(options, async (context) => {
		const started = Date.now();
		const record = await context.api.deployments.redeploy(
			{ wait: options.wait, ...(options.app ? { app: options.app } : {}), ...(options.server ? { server: options.server } : {}) },
			{ onEvent: context.onEvent, signal: context.signal },
		);
		const durationMs = Date.now() - started;
		context.print({ type: "result", ...record, durationMs }, () => {
			const commit = record.commit ? ` of ${record.commit.slice(0, 7)}` : "";
			process.stderr.write(`${pc.green("✔")} ${record.app} redeployed: ${record.id}${commit} is live ${pc.dim(`(${formatDuration(durationMs)})`)}\n`);
			return record.url ?? "";
		});
	});
}
