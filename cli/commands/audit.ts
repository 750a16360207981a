import type { AuditEntry } from "../../core/api/team.js";
import { DeployError } from "../../core/protocol/errors.js";
import { parseDuration } from "../../core/protocol/duration.js";
import { table } from "../output/human.js";
import { runCommand } from "../output/run.js";

interface AuditOptions {
	json?: boolean;
	server?: string;
	app?: string;
	since?: string;
	limit: number;
}

/** `deploy audit`: the server's audit log, oldest first; one JSON array with --json. */
export async function auditCommand(options: AuditOptions): Promise<void> {
	await runCommand(options, async (context) => {
		const sinceMs = options.since === undefined ? null : parseDuration(options.since);
		if (sinceMs === null && options.since !== undefined) throw new DeployError("BAD_ARGUMENT", `--since ${options.since} is not a duration.`, "Pass a count and a unit, like 7d, 12h or 30m.");
		if (!Number.isInteger(options.limit) || options.limit < 1) throw new DeployError("BAD_ARGUMENT", "--limit must be a whole number of at least 1.", "Like --limit 100.");
		const entries = await context.api.team.audit(
			{ ...(options.server ? { server: options.server } : {}), ...(options.app ? { app: options.app } : {}), ...(sinceMs ? { sinceSeconds: Math.max(1, Math.round(sinceMs / 1000)) } : {}), limit: options.limit },
			{ signal: context.signal },
		);
		context.print(entries, () => (entries.length === 0 ? "No audit entries." : auditTable(entries)));
	});
}

function auditTable(entries: AuditEntry[]): string {
	const rows = entries.map((e) => [e.time, e.key ? `key ${e.key}` : (e.member ?? "owner"), e.client ?? "-", e.action, e.app ?? "-", e.result, JSON.stringify(e.args)]);
	return table(rows, ["TIME", "WHO", "FROM", "ACTION", "APP", "RESULT", "ARGUMENTS"]);
}
