import type { ServerStatus } from "../../core/api/index.js";
import { EXIT, runCommand } from "../output/run.js";
import { serverStatusTable } from "../output/server-status.js";

/**
 * `deploy servers status [name]`: every server (or the one named) asked at once, one
 * row each. Exit 1 when any is unreachable, so a cron job or CI step notices.
 */
export async function statusCommand(name: string | undefined, options: { json?: boolean }): Promise<void> {
	await runCommand(options, async (context) => {
		const names = name ? [name] : (await context.api.servers.list()).map((server) => server.name);
		if (names.length === 0) {
			context.print([], () => "No servers yet. Add one with `deploy servers add <name> user@host`.");
			return;
		}
		const statuses: ServerStatus[] = await Promise.all(names.map((server) => context.api.servers.status({ name: server }, { signal: context.signal })));
		context.print(statuses, () => serverStatusTable(statuses));
		if (statuses.some((status) => !status.reachable)) process.exitCode = EXIT.failed;
	});
}
