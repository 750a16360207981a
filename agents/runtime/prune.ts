import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { type AgentHome, appPaths } from "../home.js";
import type { NodeRuntimes } from "./runtimes.js";

/**
 * Issue 12: a runtime stays while any kept release of any app names it (a rollback must
 * find it), and the agent's own always; the others are removed after a deploy.
 */
export async function pruneRuntimes(home: AgentHome, runtimes: NodeRuntimes): Promise<string[]> {
	if (!runtimes.managed) return [];
	// The common case, one runtime (the agent's, never pruned): no release spec needs reading.
	if ((await runtimes.installed()).every((version) => version === runtimes.agentVersion)) return [];
	const inUse = new Set<string>();
	for (const app of await readdir(home.apps).catch(() => [] as string[])) {
		const releases = appPaths(home, app).releases;
		for (const name of await readdir(releases).catch(() => [] as string[])) {
			if (!name.endsWith(".release.json")) continue;
			// Only the one field: an unreadable spec keeps every runtime rather than guessing.
			const text = await readFile(join(releases, name), "utf8").catch(() => null);
			if (text === null) continue;
			try {
				const node = (JSON.parse(text) as { node?: unknown }).node;
				if (typeof node === "string") inUse.add(node);
			} catch {
				return [];
			}
		}
	}
	return runtimes.prune(inUse);
}
