import { readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import * as z from "zod";
import { type AgentHome, appPaths } from "../home.js";
import { killGroup, processStartTime } from "../processes/proc.js";

// Issue 13: an install or build runs in a process group of its own (run-command.ts),
// which the daemon kills on a cancel or a timeout. A daemon killed with -9 (or by the
// OOM killer) mid-build can do neither: the build ran on, unwatched, holding the CPU,
// memory and the release folder. Its group is noted in a file while it runs, and the
// next daemon kills what a note names when it starts.

const note = z.object({
	pgid: z.number().int().positive(),
	/** The group leader's start time (/proc/<pid>/stat): tells it from a process that got its pid later. */
	startTime: z.string().nullable(),
	/** The kernel's boot id: after a reboot the build is gone and its number may be anyone's. */
	boot: z.string().nullable(),
});
export type BuildGroupNote = z.infer<typeof note>;

/** apps/<app>/build.group: the process group of the app's install or build running now (one at a time: the deploy lock). */
export function buildGroupFile(home: AgentHome, app: string): string {
	return join(appPaths(home, app).dir, "build.group");
}

/**
 * Notes the group of a build that just started, synchronously: before the daemon reads
 * a line of it, so no kill can fall between the start and the note. The returned
 * function removes the note once the build ended. A note that cannot be written only
 * loses the clean-up after a crash: `warn` says so, the build goes on.
 */
export function noteBuildGroup(file: string, pid: number, warn: (line: string) => void): () => void {
	const body: BuildGroupNote = { pgid: pid, startTime: processStartTime(pid), boot: bootId() };
	const tmp = `${file}.tmp`;
	try {
		writeFileSync(tmp, `${JSON.stringify(body)}\n`, { mode: 0o600 });
		renameSync(tmp, file);
	} catch (error) {
		warn(`cannot note the build's process group in ${file}: ${(error as Error).message}`);
	}
	return () => rmSync(file, { force: true });
}

/**
 * Whether a noted group may be killed now. Pure: tested by equality. A leader still
 * running must be the one noted (same start time); a leader that is gone may have left
 * children in the group, and in the same boot the kernel does not reuse a group's
 * number while any member lives, so the group is killed. Without a boot id to compare
 * (no /proc) only a matching leader is.
 */
export function mayKillGroup(noted: BuildGroupNote, now: { boot: string | null; leaderStartTime: string | null }): boolean {
	if (noted.boot !== null && now.boot !== null && noted.boot !== now.boot) return false;
	if (now.leaderStartTime !== null) return now.leaderStartTime === noted.startTime;
	return noted.boot !== null && noted.boot === now.boot;
}

/** At daemon start, before anything else runs: kills the builds a killed daemon left running, and forgets their notes. */
export async function endOrphanedBuilds(home: AgentHome, apps: string[], log: (line: string) => void): Promise<void> {
	const boot = bootId();
	for (const app of apps) {
		const file = buildGroupFile(home, app);
		const text = await readFile(file, "utf8").catch(() => null);
		if (text === null) continue;
		const noted = note.safeParse(parseJson(text));
		if (noted.success && mayKillGroup(noted.data, { boot, leaderStartTime: processStartTime(noted.data.pgid) })) {
			killGroup(noted.data.pgid, "SIGKILL");
			log(`${app}: killed the install or build the previous daemon left running (process group ${noted.data.pgid})`);
		}
		await rm(file, { force: true });
	}
}

function bootId(): string | null {
	try {
		return readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim() || null;
	} catch {
		return null;
	}
}

function parseJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return null;
	}
}
