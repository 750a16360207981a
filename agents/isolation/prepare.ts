// Issue 13: the effectful half of isolation, called before an app builds or starts:
// its user exists, the paths it needs let it through, its release is its own.
import { readdir } from "node:fs/promises";
import { type AgentHome, appPaths } from "../home.js";
import { readAppState } from "../processes/state.js";
import { accessPlan, applyAccess, ownTree } from "./access.js";
import type { AppIdentity } from "./launch.js";
import { currentIsolation, probeIsolation, processIsolation } from "./probe.js";

/**
 * Makes the app ready to build or start as its own user (mode "users"), and makes
 * `release` its own: `always` after the agent wrote files into it (a materialized
 * release), else only when its top is not the app's (an older release, a cache
 * entry made before issue 13). Null where apps have no user of their own; throws
 * where they should but cannot (nothing is built or started then).
 */
export async function prepareApp(home: AgentHome, app: string, release?: { dir: string; always?: boolean }): Promise<AppIdentity | null> {
	const { users } = currentIsolation();
	if (!users) {
		processIsolation(app); // throws for "unavailable"
		return null;
	}
	const identity = await users.ensure(app);
	await applyAccess(accessPlan(home, app, identity, process.getuid?.() ?? 0));
	if (release) await ownTree(release.dir, identity, release.always);
	return identity;
}

/** At daemon start, before any instance (re)starts: the probe, its verdict in the log, then prepareAtStart. */
export async function startIsolation(home: AgentHome, log: (line: string) => void): Promise<void> {
	const { report } = await probeIsolation(home, log);
	log(`isolation: ${report.mode}: ${report.reason}; firewall: ${report.firewall.reason}`);
	await prepareAtStart(home, log).catch((error) => log(`isolation: ${(error as Error).message}`));
}

/**
 * At daemon start, before adopting: every app with instances gets its user and its
 * releases (the upgrade from an agent that ran apps as root: their files were root's),
 * and the firewall gets exactly the ports state.json names. A failure is logged: the
 * instance that cannot start says so itself.
 */
export async function prepareAtStart(home: AgentHome, log: (line: string) => void): Promise<void> {
	const ports: number[] = [];
	for (const app of await readdir(home.apps).catch(() => [] as string[])) {
		const state = await readAppState(appPaths(home, app).state).catch(() => null);
		if (!state || state.instances.length === 0) continue;
		ports.push(...state.instances.map((i) => i.port));
		try {
			for (const dir of new Set(state.instances.map((i) => i.cwd))) await prepareApp(home, app, { dir });
		} catch (error) {
			log(`isolation: cannot prepare ${app}: ${(error as Error).message}`);
		}
	}
	await currentIsolation().firewall?.sync(ports);
}

/** Removes an app's user with the app (a preview's removal); its processes must be stopped. */
export async function removeAppUser(app: string): Promise<string | null> {
	return (await currentIsolation().users?.remove(app)) ?? null;
}
