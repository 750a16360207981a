import { access } from "node:fs/promises";
import { join, posix } from "node:path";
import type { ManifestEntry } from "../../core/protocol/index.js";

/**
 * Issue 14: the packages of a workspace release that got a node_modules of their own
 * from the install (pnpm always links them there; npm and yarn when versions clash).
 * The dependency cache keeps the root's node_modules only, so a release with any of
 * these is not cached: a restore would lack them.
 */
export async function packagesWithOwnModules(releaseDir: string, manifest: readonly ManifestEntry[]): Promise<string[]> {
	const folders = manifest.filter((e) => e.path.endsWith("/package.json")).map((e) => posix.dirname(e.path));
	const found: string[] = [];
	for (const folder of folders) {
		if (await access(join(releaseDir, folder, "node_modules")).then(() => true, () => false)) found.push(folder);
	}
	return found;
}
