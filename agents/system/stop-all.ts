// Stopping an agent home's daemon and every app instance it supervises, for `system
// purge` (a server removed) and `agent.mjs stop` (`deploy preview --stop`). The daemon
// goes first: it would restart the apps it loses.
import { readdir } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { answers, callOnce, waitFor } from "../bridge/socket.js";
import { type AgentHome, appPaths } from "../home.js";
import { isAlive, killGroup } from "../processes/proc.js";
import { readAppState, writeAppState } from "../processes/state.js";
import { AGENT_UNIT, managedBySystemd, systemctl } from "./systemd.js";

/** Stops the daemon (its unit first where systemd runs it); false when none was running. */
export async function stopAgent(home: AgentHome): Promise<boolean> {
	// systemd first: with Restart=always it would start the daemon again.
	if (managedBySystemd(home, AGENT_UNIT)) await systemctl(["stop", AGENT_UNIT]);
	if (!(await answers(home.socket))) return false;
	await callOnce(home.socket, "shutdown", {}).catch(() => undefined);
	await waitFor(async () => !(await answers(home.socket)), 10_000);
	return true;
}

/** Every instance of every app: SIGTERM to its process group, SIGKILL to what is left after 10 s. */
export async function stopApps(home: AgentHome): Promise<number> {
	const instances: { pid: number; startTime: string | null }[] = [];
	for (const app of await readdir(home.apps).catch(() => [] as string[])) {
		const state = await readAppState(appPaths(home, app).state).catch(() => null);
		for (const record of state?.instances ?? []) if (isAlive(record.pid, record.startTime)) instances.push(record);
	}
	for (const { pid } of instances) killGroup(pid, "SIGTERM");
	for (let waited = 0; waited < 10_000 && instances.some((i) => isAlive(i.pid, i.startTime)); waited += 100) await sleep(100);
	for (const { pid, startTime } of instances) if (isAlive(pid, startTime)) killGroup(pid, "SIGKILL");
	return instances.length;
}

/**
 * `agent.mjs stop`: the daemon and its apps stop. state.json keeps which release is live
 * but no longer lists the stopped instances: a daemon started again would relaunch them
 * unchecked, and a no-change deploy would then answer "live" before the app listens. The
 * next deploy starts and health-checks the release instead (its caches make it quick).
 * One JSON line on stdout.
 */
export async function runStop(home: AgentHome): Promise<void> {
	const agent = await stopAgent(home);
	const instances = await stopApps(home);
	await forgetInstances(home);
	process.stdout.write(`${JSON.stringify({ agent, instances })}\n`);
}

async function forgetInstances(home: AgentHome): Promise<void> {
	for (const app of await readdir(home.apps).catch(() => [] as string[])) {
		const path = appPaths(home, app).state;
		const state = await readAppState(path).catch(() => null);
		if (state && state.instances.length > 0) await writeAppState(path, { ...state, instances: [] });
	}
}
