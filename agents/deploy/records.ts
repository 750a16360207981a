import { readdir, readFile } from "node:fs/promises";
import { type DeploymentRecord, type DeploymentUrl, deploymentRecord } from "../../core/protocol/index.js";
import { writeJsonAtomic } from "../fs/atomic-write.js";
import { type AgentHome, appPaths } from "../home.js";
import { nextSeq } from "./deploy-order.js";

/**
 * Writes a deployment's record; the first write of a new one gives it the app's next
 * number (`seq`), later writes keep the number it has. Every first write happens under
 * the app's deploy lock (a deploy, an env change), so no two get the same number.
 */
export async function writeRecord(home: AgentHome, record: DeploymentRecord): Promise<DeploymentRecord> {
	const numbered = record.seq === undefined ? await withSeq(home, record) : record;
	await writeJsonAtomic(appPaths(home, record.app).record(record.id), numbered);
	return numbered;
}

async function withSeq(home: AgentHome, record: DeploymentRecord): Promise<DeploymentRecord> {
	const text = await readFile(appPaths(home, record.app).record(record.id), "utf8").catch(() => null);
	if (text !== null) {
		// Written before: its number, or none for a record an older agent made (it keeps sorting before the numbered ones).
		const seq = deploymentRecord.safeParse(parseJson(text)).data?.seq;
		return seq === undefined ? record : { ...record, seq };
	}
	return { ...record, seq: nextSeq(await readRecords(home, record.app)) };
}

function parseJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return null;
	}
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

/**
 * Records `id` as the live deployment (at `urls`, the first being its `url`) and every
 * other live one of the app as superseded. A release made live again (rollback) keeps
 * its finishedAt, which its duration is measured by; liveAt says when it went live this time.
 */
export async function recordLive(home: AgentHome, app: string, id: string, urls: DeploymentUrl[]): Promise<DeploymentRecord> {
	let live: DeploymentRecord | null = null;
	for (const record of await readRecords(home, app)) {
		if (record.id === id) {
			const now = new Date().toISOString();
			live = { ...record, status: "live", url: urls[0]?.url ?? null, urls, finishedAt: record.finishedAt ?? now, liveAt: now, error: null };
			await writeRecord(home, live);
		} else if (record.status === "live") {
			await writeRecord(home, { ...record, status: "superseded" });
		}
	}
	if (!live) throw new Error(`no record of deployment ${id}`);
	return live;
}
