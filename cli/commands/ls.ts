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
		context.print(records, () =>
			records.length === 0
				? "No deployments yet. Run `deploy` in the app's folder."
				: table(
						records.map((record) => lsRow(record, now)),
						LS_HEADER,
					),
		);
	});
}
