import type { DeploymentRecord } from "../../core/protocol/index.js";
import { runCommand } from "../output/run.js";
import { table } from "../output/human.js";
import { LS_HEADER, lsRow } from "../output/deployments.js";

interface LsOptions {
	json?: boolean;
	app?: string;
	server?: string;
	limit: number;
}

/** `deploy ls`: history, newest first; one JSON array with --json. */
export async function lsCommand(options: LsOptions): Promise<void> {
	await runCommand(options, async (context) => {
		// A listing prints only the listing: no progress events, on stdout or stderr.
		const records = await context.api.deployments.list({
			limit: options.limit,
			...(options.app ? { app: options.app } : {}),
			...(options.server ? { server: options.server } : {}),
		});
		const now = Date.now();
		context.print(records, () => {
			if (records.length === 0) return "No deployments yet. Run `deploy` in the app's folder.";
			// Issue 14: production and previews apart, so a preview's URL is never read as the app's.
			const production = records.filter((r) => !r.preview);
			const previews = records.filter((r) => r.preview);
			const render = (rows: DeploymentRecord[]) => table(rows.map((record) => lsRow(record, now)), LS_HEADER);
			if (previews.length === 0) return render(production);
			return [...(production.length > 0 ? [render(production), ""] : []), "Previews", render(previews)].join("\n");
		});
	});
}
