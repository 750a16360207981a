import type { ChildProcess } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import { isAlive, killGroup } from "./proc.js";
import { spawnInstance } from "./spawn.js";
import type { InstanceRecord } from "./state.js";

/** One instance as the daemon holds it: the persisted record plus what only lives in memory. */
export interface Instance {
	app: string;
	record: InstanceRecord;
	/** Null for an instance adopted after a daemon restart: it is watched by polling instead. */
	child: ChildProcess | null;
	/** How the current pid ended, once it did. */
	exit: { code: number | null; signal: string | null } | null;
	crashes: number;
	startedAt: number;
	stopping: boolean;
	timer: NodeJS.Timeout | null;
}

export const STABLE_MS = 60_000;
export const MAX_CRASHES = 10;

/** Restart delay after the n-th crash in a row: 1 s doubling, at most 30 s. */
export function backoffMs(crashes: number): number {
	return Math.min(1000 * 2 ** Math.max(0, crashes - 1), 30_000);
}

/** (Re)starts the instance's process on its own port and watches it. */
export function launch(instance: Instance, logFile: string, onExit: (instance: Instance) => void): void {
	const { record } = instance;
	const { child, pid, startTime } = spawnInstance({ command: record.command, cwd: record.cwd, env: record.env, port: record.port, logFile });
	instance.child = child;
	instance.exit = null;
	instance.startedAt = Date.now();
	record.pid = pid;
	record.startTime = startTime;
	const exited = (code: number | null, signal: string | null) => {
		if (instance.child !== child) return;
		instance.child = null;
		instance.exit = { code, signal };
		onExit(instance);
	};
	child.on("exit", exited);
	child.on("error", () => exited(null, null));
}

/** Whether the instance's process is still there. */
export function running(instance: Instance): boolean {
	if (instance.child) return instance.exit === null;
	return isAlive(instance.record.pid, instance.record.startTime);
}

/**
 * Stops an instance the graceful way: wait `drainMs` (requests in flight finish),
 * SIGTERM to its process group, SIGKILL if it is still there after `graceMs`.
 */
export async function stopInstance(instance: Instance, drainMs: number, graceMs = 10_000): Promise<void> {
	instance.stopping = true;
	if (instance.timer) clearTimeout(instance.timer);
	instance.timer = null;
	if (drainMs > 0) await sleep(drainMs);
	if (!running(instance)) return;
	killGroup(instance.record.pid, "SIGTERM");
	for (let waited = 0; waited < graceMs; waited += 100) {
		await sleep(100);
		if (!running(instance)) return;
	}
	killGroup(instance.record.pid, "SIGKILL");
}
