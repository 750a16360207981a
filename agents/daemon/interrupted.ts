import type { AgentHome } from "../home.js";
import { listApps, readRecords, writeRecord } from "../deploy/records.js";

/** Deployments that were in flight when the previous daemon died will never finish: say so. */
export async function markInterrupted(home: AgentHome): Promise<void> {
	for (const app of await listApps(home)) {
		for (const record of await readRecords(home, app)) {
			if (record.status !== "building" && record.status !== "deploying") continue;
			await writeRecord(home, {
				...record,
				status: "interrupted",
				finishedAt: new Date().toISOString(),
				error: { code: "AGENT_RESTARTED", message: "The agent stopped while this deployment was running.", hint: "Deploy again." },
			});
		}
	}
}
