// Issue 13: what `servers rm --purge` takes away of the isolation: the users the agent
// made for its apps (after their processes), and the instance firewall's rules.
import type { AgentHome } from "../home.js";
import { isSystemHome } from "../system/systemd.js";
import { detectFirewall, userTools } from "./probe.js";
import { AppUsers } from "./users.js";

/** Removes every user app-users.json lists; returns their names. */
export async function removeAppUsers(home: AgentHome): Promise<string[]> {
	const tools = userTools();
	if ("missing" in tools) return [];
	const users = new AppUsers(home.root, tools);
	const removed: string[] = [];
	for (const app of await users.apps()) {
		const name = await users.remove(app);
		if (name) removed.push(name);
	}
	return removed;
}

/** Removes the instance firewall's table (or chain) of a system install; returns the tool, or null when there was none to ask. */
export async function removeInstanceFirewall(home: AgentHome, log: (line: string) => void): Promise<string | null> {
	if (!isSystemHome(home)) return null;
	const firewall = await detectFirewall(log);
	if (!firewall) return null;
	await firewall.removeAll();
	return firewall.tool;
}
