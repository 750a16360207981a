import { alertsText, metricsText } from "../output/metrics.js";
import { runCommand } from "../output/run.js";

interface TargetOptions {
	json?: boolean;
	app?: string;
	server?: string;
}

interface MetricsOptions extends TargetOptions {
	since?: string;
	alerts?: boolean;
}

const target = (options: TargetOptions) => ({ ...(options.app ? { app: options.app } : {}), ...(options.server ? { server: options.server } : {}) });

/** `deploy metrics`: totals and sparklines per app; one JSON array with --json. `--alerts` is `deploy alerts`. */
export async function metricsCommand(options: MetricsOptions): Promise<void> {
	if (options.alerts) return alertsCommand(options);
	await runCommand(options, async (context) => {
		const since = options.since ?? "1h";
		const reports = await context.api.metrics.get({ ...target(options), since }, { signal: context.signal });
		context.print(reports, () => metricsText(reports, since));
	});
}

/** `deploy alerts`: what fires now and the recorded transitions; one JSON object with --json. */
export async function alertsCommand(options: TargetOptions & { limit?: number }): Promise<void> {
	await runCommand(options, async (context) => {
		const result = await context.api.metrics.alerts({ ...target(options), ...(options.limit ? { limit: options.limit } : {}) }, { signal: context.signal });
		context.print(result, () => alertsText(result));
	});
}
