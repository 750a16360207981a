import type { AgentHome } from "../home.js";
import { appPaths } from "../home.js";
import { listApps, readRecords, writeRecord } from "../deploy/records.js";
import { readAppState } from "../processes/state.js";
import { endOrphanedBuilds } from "../build/build-group.js";
import { agentLog } from "../log.js";

/**
 * Deployments that were in flight when the previous daemon died will never finish:
 * their installs or builds still running are killed (issue 13), and their records say
 * so. One that had reached the switch (state.json names it live) did finish: it is
 * recorded live, and the one before it superseded.
 */
export async function markInterrupted(home: AgentHome, log: (line: string) => void = agentLog): Promise<void> {
	const apps = await listApps(home);
	await endOrphanedBuilds(home, apps, log);
	for (const app of apps) {
		const live = await readAppState(appPaths(home, app).state).then((s) => s.live, () => null);
		const records = await readRecords(home, app);
		for (const record of records) {
			if (record.status !== "building" && record.status !== "deploying") continue;
			if (record.id === live) {
				await writeRecord(home, { ...record, status: "live", finishedAt: new Date().toISOString() });
				continue;
			}
			await writeRecord(home, {
				...record,
				status: "interrupted",
				finishedAt: new Date().toISOString(),
				error: { code: "AGENT_RESTARTED", message: "The agent stopped while this deployment was running; the previous release kept serving.", hint: "Deploy again." },
			});
		}
		if (live && records.some((r) => r.id === live && r.status !== "live")) {
			for (const record of records) {
				if (record.id === live) await writeRecord(home, { ...record, status: "live", finishedAt: record.finishedAt ?? new Date().toISOString(), error: null });
				else if (record.status === "live") await writeRecord(home, { ...record, status: "superseded" });
			}
		}
	}
}
