import type { ChildProcess } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import { releasePort } from "../isolation/probe.js";
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
	/** Crashes in a row (reset by a stable run). */
	crashes: number;
	startedAt: number;
	stopping: boolean;
	/** A pending restart: the instance is in backoff. */
	timer: NodeJS.Timeout | null;
}

/** (Re)starts the instance's process on its own port and watches it; `nodeBin` goes first on its PATH. */
export function launch(instance: Instance, logFile: string, nodeBin: string | undefined, onExit: (instance: Instance) => void): void {
	const { record } = instance;
	const { child, pid, startTime } = spawnInstance({
		app: instance.app,
		command: record.command,
		cwd: record.cwd,
		env: record.env,
		secrets: record.secrets,
		port: record.port,
		logFile,
		label: `${record.process}:${record.port}`,
		limits: record.limits,
		name: `${instance.app}.${record.process}.${record.port}`,
		nodeBin,
	});
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

export function describeExit({ code, signal }: { code: number | null; signal: string | null }): string {
	return signal ? `was killed by ${signal}` : `exited with code ${code ?? "unknown"}`;
}

/**
 * Stops an instance the graceful way: wait `settleMs` (the proxy no longer sends it
 * anything; requests in flight finish), SIGTERM to its process group, SIGKILL if it
 * is still there after `graceMs`.
 */
export async function stopInstance(instance: Instance, settleMs: number, graceMs: number): Promise<void> {
	await stopProcess(instance, settleMs, graceMs);
	// Issue 13: its port leaves the instance firewall's set with it.
	await releasePort(instance.record.port);
}

async function stopProcess(instance: Instance, settleMs: number, graceMs: number): Promise<void> {
	instance.stopping = true;
	if (instance.timer) clearTimeout(instance.timer);
	instance.timer = null;
	if (settleMs > 0) await sleep(settleMs);
	if (!running(instance)) return;
	killGroup(instance.record.pid, "SIGTERM");
	for (let waited = 0; waited < graceMs; waited += 100) {
		await sleep(100);
		if (!running(instance)) return;
	}
	killGroup(instance.record.pid, "SIGKILL");
	for (let waited = 0; waited < 5_000 && running(instance); waited += 100) await sleep(100);
}
