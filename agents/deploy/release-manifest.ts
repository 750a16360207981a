import { readFile } from "node:fs/promises";
import * as z from "zod";
import { DeployError, type ManifestDiff, type ManifestEntry, manifestEntry } from "../../core/protocol/index.js";
import { applyManifestDiff } from "../../core/protocol/manifest.js";
import type { Agent } from "../daemon/agent.js";
import { writeFileAtomic } from "../fs/atomic-write.js";
import { appPaths } from "../home.js";

/**
 * releases/<id>.manifest.json: the manifest a release went live with, kept (and
 * pruned) with its folder. It is the base a later deploy's manifest diff names, so a
 * redeploy sends what changed instead of every path and blob id.
 */
export async function keepReleaseManifest(agent: Agent, app: string, id: string, manifest: ManifestEntry[]): Promise<void> {
	const path = appPaths(agent.home, app).releaseManifest(id);
	if (await readFile(path).then(() => true, () => false)) return;
	await writeFileAtomic(path, JSON.stringify(manifest));
}

/**
 * The whole manifest a deploy names: as sent, or its diff applied to the base
 * release's. MANIFEST_BASE_UNKNOWN when the base is gone (pruned, another server),
 * does not give the promised hash, or lacks objects in the store: the client then
 * sends the whole manifest.
 */
export async function resolveManifest(agent: Agent, app: string, params: { manifest?: ManifestEntry[] | undefined; manifestDiff?: ManifestDiff | undefined }): Promise<ManifestEntry[]> {
	if (params.manifest) return params.manifest;
	const diff = params.manifestDiff!;
	const unknown = new DeployError("MANIFEST_BASE_UNKNOWN", `The agent has no usable manifest of deployment ${diff.base} of ${app}.`, "The client sends the whole manifest instead.");
	const base = await readFile(appPaths(agent.home, app).releaseManifest(diff.base), "utf8").then(
		(text) => z.array(manifestEntry).parse(JSON.parse(text)),
		() => null,
	);
	const manifest = base && applyManifestDiff(base, diff);
	if (!manifest) throw unknown;
	// The client only asked about the changed objects: the rest must still be here.
	if ((await agent.store.missing(manifest.map((e) => e.id))).length > 0) throw unknown;
	return manifest;
}
