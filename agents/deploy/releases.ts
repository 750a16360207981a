import { readdir, rm } from "node:fs/promises";
import { deploymentId } from "../../core/protocol/index.js";
import { type AgentHome, appPaths } from "../home.js";
import { readRecords } from "./records.js";

export const KEEP_RELEASES = 5;

/**
 * Which release folders to delete: beyond the newest `keep`, only folders named as
 * a deployment the agent recorded, never one whose instances still run. Pure.
 */
export function releasesToDelete(folders: string[], recorded: Set<string>, inUse: Set<string>, keep = KEEP_RELEASES): string[] {
	const ours = folders.filter((name) => deploymentId.safeParse(name).success && recorded.has(name)).sort().reverse();
	return ours.slice(keep).filter((name) => !inUse.has(name));
}

/** Deletes old release folders; returns the ids it removed. */
export async function pruneReleases(home: AgentHome, app: string, inUse: Set<string>): Promise<string[]> {
	const paths = appPaths(home, app);
	const folders = await readdir(paths.releases).catch(() => [] as string[]);
	const recorded = new Set((await readRecords(home, app)).map((r) => r.id));
	const doomed = releasesToDelete(folders, recorded, inUse);
	for (const id of doomed) await rm(paths.release(id), { recursive: true, force: true });
	return doomed;
}
