import { readdir, readFile } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { INSTANCE_HOST } from "../util/env.js";
import { killGroup } from "./proc.js";

// Issue 13: instance processes no state.json tracks. A state.json that could not be
// read, then removed as its error says, leaves the instances it listed running with
// nobody to stop them; so does a daemon killed between starting instances and
// writing them down. They are found by the environment every instance starts with
// (util/env.ts instanceEnv: PATH begins with `<releases>/<id>/node_modules/.bin`, and
// PORT and HOST are set; a build's `npm run` puts the same PATH first, but no PORT) and
// stopped once another release is live, not adopted: their records (command, env,
// secrets, limits) went with the file, so the agent could not restart them as they were.

/** A process that was started as an instance of one of an app's releases, and its process group. */
export interface ReleaseProcess {
	pid: number;
	pgid: number;
	release: string;
}

/**
 * The release an instance's environment (/proc/<pid>/environ: NUL-separated) marks, or
 * null when it is not an instance's of a release in `releasesDir`. Pure: tested by equality.
 */
export function releaseOfEnviron(environ: string, releasesDir: string): string | null {
	const vars = new Map(environ.split("\0").map((entry) => [entry.slice(0, entry.indexOf("=")), entry.slice(entry.indexOf("=") + 1)]));
	if (!/^\d+$/.test(vars.get("PORT") ?? "") || vars.get("HOST") !== INSTANCE_HOST) return null;
	const first = vars.get("PATH")?.split(":")[0] ?? "";
	const prefix = `${releasesDir}/`;
	if (!first.startsWith(prefix) || !first.endsWith("/node_modules/.bin")) return null;
	const release = first.slice(prefix.length).split("/")[0];
	return release ? release : null;
}

/**
 * The process groups to stop: those of processes of releases other than `keep` that no
 * tracked instance leads (an instance's pid is its group's id: it is spawned detached).
 * The live release's own are left alone, whatever they are. Pure: tested by equality.
 */
export function untrackedGroups(found: ReleaseProcess[], tracked: Set<number>, keep: string | null): { pgid: number; release: string }[] {
	const groups = new Map<number, string>();
	for (const process of found) {
		if (process.release === keep || tracked.has(process.pgid)) continue;
		groups.set(process.pgid, process.release);
	}
	return [...groups].sort(([a], [b]) => a - b).map(([pgid, release]) => ({ pgid, release }));
}

/** Every process this user may read whose environment marks it an instance of a release in `releasesDir`. */
export async function releaseProcesses(releasesDir: string): Promise<ReleaseProcess[]> {
	const found: ReleaseProcess[] = [];
	for (const name of await readdir("/proc").catch(() => [] as string[])) {
		if (!/^\d+$/.test(name)) continue;
		// Another user's processes (a rootless agent), and those that ended meanwhile, cannot be read: not ours.
		const environ = await readFile(`/proc/${name}/environ`, "latin1").catch(() => null);
		const release = environ ? releaseOfEnviron(environ, releasesDir) : null;
		if (!release) continue;
		const pgid = await processGroup(name);
		if (pgid !== null) found.push({ pid: Number(name), pgid, release });
	}
	return found;
}

/** SIGTERM to each group after `settleMs`, SIGKILL to those still there after `graceMs`: how an instance is stopped. */
export async function stopGroups(pgids: number[], settleMs: number, graceMs: number): Promise<void> {
	if (pgids.length === 0) return;
	if (settleMs > 0) await sleep(settleMs);
	for (const pgid of pgids) killGroup(pgid, "SIGTERM");
	for (let waited = 0; waited < graceMs && pgids.some(groupAlive); waited += 100) await sleep(100);
	for (const pgid of pgids.filter(groupAlive)) killGroup(pgid, "SIGKILL");
}

async function processGroup(pid: string): Promise<number | null> {
	const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => null);
	if (!stat) return null;
	// After the command name (which may hold spaces and parentheses): state, ppid, pgrp.
	const pgid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[2]);
	return pgid > 0 ? pgid : null;
}

function groupAlive(pgid: number): boolean {
	try {
		process.kill(-pgid, 0);
		return true;
	} catch {
		return false;
	}
}
