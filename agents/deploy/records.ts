import { readdir, readFile } from "node:fs/promises";
import { type DeploymentRecord, deploymentRecord } from "../../core/protocol/index.js";
import { writeJsonAtomic } from "../fs/atomic-write.js";
import { type AgentHome, appPaths } from "../home.js";

export function writeRecord(home: AgentHome, record: DeploymentRecord): Promise<void> {
	return writeJsonAtomic(appPaths(home, record.app).record(record.id), record);
}

/** One app's deployment records; a record that does not parse is skipped, not fatal. */
export async function readRecords(home: AgentHome, app: string): Promise<DeploymentRecord[]> {
	const dir = appPaths(home, app).deployments;
	const names = await readdir(dir).catch(() => [] as string[]);
	const records: DeploymentRecord[] = [];
	for (const name of names.filter((n) => n.endsWith(".json") && !n.startsWith("."))) {
		try {
			records.push(deploymentRecord.parse(JSON.parse(await readFile(`${dir}/${name}`, "utf8"))));
		} catch {
			// a half-edited or foreign file: not a deployment
		}
	}
	return records;
}

export async function listApps(home: AgentHome): Promise<string[]> {
	return readdir(home.apps).catch(() => [] as string[]);
}

/** Newest first: ids sort by creation time. */
export function newestFirst(records: DeploymentRecord[]): DeploymentRecord[] {
	return [...records].sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
}

/** Records `id` as the live deployment (at `url`) and every other live one of the app as superseded. */
export async function recordLive(home: AgentHome, app: string, id: string, url: string): Promise<DeploymentRecord> {
	let live: DeploymentRecord | null = null;
	for (const record of await readRecords(home, app)) {
		if (record.id === id) {
			live = { ...record, status: "live", url, finishedAt: new Date().toISOString(), error: null };
			await writeRecord(home, live);
		} else if (record.status === "live") {
			await writeRecord(home, { ...record, status: "superseded" });
		}
	}
	if (!live) throw new Error(`no record of deployment ${id}`);
	return live;
}
