// Issue 17, item 4: where the dashboard's build lives in the agent's home. Each build is
// a folder named by its version (the sha256 of its file list) with its manifest beside
// it; `current` is a link to the one served, swapped atomically.
import { readdir, readFile, readlink } from "node:fs/promises";
import { join } from "node:path";
import type { DashboardFile } from "../../core/protocol/dashboard.js";

export const dashboardPaths = (homeRoot: string) => {
	const dir = join(homeRoot, "dashboard");
	return {
		dir,
		current: join(dir, "current"),
		build: (version: string) => join(dir, version),
		manifest: (version: string) => join(dir, `${version}.manifest.json`),
	};
};

/** The version served now, or null when no build was installed. */
export async function currentDashboardVersion(homeRoot: string): Promise<string | null> {
	return readlink(dashboardPaths(homeRoot).current).catch(() => null);
}

/**
 * The objects the kept builds name, for the object store's collection
 * (agents/objects/references.ts): a later `api enable` then finds them and sends nothing.
 */
export async function dashboardObjects(homeRoot: string): Promise<string[]> {
	const { dir } = dashboardPaths(homeRoot);
	const names = (await readdir(dir).catch(() => [] as string[])).filter((name) => name.endsWith(".manifest.json"));
	const ids: string[] = [];
	for (const name of names) {
		const files = JSON.parse(await readFile(join(dir, name), "utf8")) as DashboardFile[];
		ids.push(...files.map((file) => file.id));
	}
	return ids;
}
