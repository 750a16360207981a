import { readFileSync } from "node:fs";

/**
 * A process's start time (field 22 of /proc/<pid>/stat, in clock ticks since boot):
 * with the pid, it tells our process from an unrelated one that reused the pid.
 * Null where /proc is missing or the process is gone.
 */
export function processStartTime(pid: number): string | null {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
		// The command name (field 2) may hold spaces and parentheses: count from the last ')'.
		const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
		if (fields[0] === "Z") return null;
		return fields[19] ?? null;
	} catch {
		return null;
	}
}

/** Whether the process that was `pid` started at `startTime` is still running (not a zombie). */
export function isAlive(pid: number, startTime: string | null): boolean {
	if (pid <= 0) return false;
	const now = processStartTime(pid);
	if (now !== null) return startTime === null || now === startTime;
	try {
		process.kill(pid, 0);
		return startTime === null && !hasProc();
	} catch {
		return false;
	}
}

function hasProc(): boolean {
	try {
		readFileSync("/proc/self/stat");
		return true;
	} catch {
		return false;
	}
}

/** Signals a whole process group (the app and whatever it spawned); quiet when it is already gone. */
export function killGroup(pid: number, signal: NodeJS.Signals): void {
	// pid 0 would be our own process group: never signal it (an instance that failed to spawn has no pid).
	if (pid <= 0) return;
	try {
		process.kill(-pid, signal);
	} catch {
		try {
			process.kill(pid, signal);
		} catch {
			// already gone
		}
	}
}
