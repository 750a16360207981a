import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { DeployError } from "../../core/protocol/index.js";
import { dashboardObjects } from "../dashboard/paths.js";
import { listApps } from "../deploy/records.js";
import { type AgentHome, appPaths } from "../home.js";

const MANIFEST = ".manifest.json";

/**
 * Every object a kept release names: the manifests beside the release folders of
 * every app (previews are apps too). Pruning a release removes its manifest, so what
 * is left here is exactly what a redeploy's diff or a rollback's base may ask for.
 * A manifest that cannot be read stops the collection: better keep everything than
 * delete what a release still needs.
 */
export async function referencedObjects(home: AgentHome): Promise<Set<string>> {
	const ids = new Set<string>();
	for (const app of await listApps(home)) {
		const releases = appPaths(home, app).releases;
		const names = await readdir(releases).catch(() => [] as string[]);
		for (const name of names.filter((n) => n.endsWith(MANIFEST) && !n.startsWith("."))) {
			const path = join(releases, name);
			const text = await readFile(path, "utf8").catch((error: NodeJS.ErrnoException) => {
				// Pruned while we read: it names nothing any more.
				if (error.code === "ENOENT") return null;
				throw error;
			});
			if (text !== null) for (const id of manifestIds(text, path)) ids.add(id);
		}
	}
	// Issue 17, item 4: the dashboard's build is kept too, so a later `api enable` sends none of it again.
	for (const id of await dashboardObjects(home.root)) ids.add(id);
	return ids;
}

function manifestIds(text: string, path: string): string[] {
	let entries: unknown;
	try {
		entries = JSON.parse(text);
	} catch {
		entries = null;
	}
	if (!Array.isArray(entries) || !entries.every((e) => typeof e?.id === "string")) {
		throw new DeployError("MANIFEST_UNREADABLE", `The release manifest ${path} cannot be read, so no uploaded file was removed.`, "Remove that release (`deploy rm <id>`) or the file, then run `deploy cache clear` again.");
	}
	return entries.map((e: { id: string }) => e.id);
}
