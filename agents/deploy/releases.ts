import { readdir, rm } from "node:fs/promises";
import { type DeploymentRecord, deploymentId } from "../../core/protocol/index.js";
import { type AgentHome, appPaths } from "../home.js";
import { newestFirstOfApp } from "./deploy-order.js";
import { readRecords } from "./records.js";

export const KEEP_RELEASES = 5;

/**
 * Which release folders to delete. Only folders named as a deployment the agent
 * recorded are ever touched, never one whose instances run. Releases that went live
 * (live or superseded) are kept, the newest `keep` of them (the live one included);
 * releases that never went live (failed, interrupted) cannot be rolled back to and go.
 * "Newest" is deploy order (`seq`). Returned newest first.
 * Pure: tested by equality.
 */
export function releasesToDelete(folders: string[], records: Pick<DeploymentRecord, "id" | "status" | "seq">[], inUse: Set<string>, keep = KEEP_RELEASES): string[] {
	const status = new Map(records.map((r) => [r.id, r.status]));
	const present = new Set(folders.filter((name) => deploymentId.safeParse(name).success));
	// Newest first in deploy order (issue 13), not by id: ids carry a clock that can go back.
	const ours = newestFirstOfApp(records.filter((r) => present.has(r.id))).map((r) => r.id);
	const wentLive = ours.filter((id) => status.get(id) === "live" || status.get(id) === "superseded");
	const kept = new Set([...wentLive.slice(0, keep), ...inUse]);
	// Still being built or started: never ours to remove (the lock makes this the deploy running now).
	for (const id of ours) if (status.get(id) === "building" || status.get(id) === "deploying") kept.add(id);
	return ours.filter((id) => !kept.has(id));
}

/** Deletes old release folders and their spec files; returns the ids it removed. */
export async function pruneReleases(home: AgentHome, app: string, inUse: Set<string>, keep = KEEP_RELEASES): Promise<string[]> {
	const paths = appPaths(home, app);
	const folders = await readdir(paths.releases).catch(() => [] as string[]);
	const doomed = releasesToDelete(folders, await readRecords(home, app), inUse, keep);
	for (const id of doomed) {
		await rm(paths.releaseSpec(id), { force: true });
		await rm(paths.releaseManifest(id), { force: true });
		await rm(paths.release(id), { recursive: true, force: true });
	}
	return doomed;
}
