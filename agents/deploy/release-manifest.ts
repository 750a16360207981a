import { access, readFile } from "node:fs/promises";
import * as z from "zod";
import { DeployError, type ManifestDiff, type ManifestEntry, manifestEntry } from "../../core/protocol/index.js";
import { applyManifestDiff } from "../../core/protocol/manifest.js";
import type { HasHome } from "../context/parts.js";
import { writeFileAtomic } from "../fs/atomic-write.js";
import { appPaths } from "../home.js";
import { readReleaseSpec } from "./release-spec.js";

/**
 * releases/<id>.manifest.json: the manifest a release went live with, kept (and
 * pruned) with its folder. It is the base a later deploy's manifest diff names, so a
 * redeploy sends what changed instead of every path and blob id. The objects it names
 * are the ones a collection keeps (agents/objects/references.ts).
 */
export async function keepReleaseManifest(agent: HasHome, app: string, id: string, manifest: () => Promise<ManifestEntry[]>): Promise<void> {
	const path = appPaths(agent.home, app).releaseManifest(id);
	// Kept already (a redeploy of the live release): not read, it can be megabytes.
	if (await access(path).then(() => true, () => false)) return;
	await writeFileAtomic(path, JSON.stringify(await manifest()));
}

/** A kept release's manifest; null when it is gone (pruned, another server) or unreadable. */
export async function readReleaseManifest(agent: HasHome, app: string, id: string): Promise<ManifestEntry[] | null> {
	return readFile(appPaths(agent.home, app).releaseManifest(id), "utf8").then(
		(text) => z.array(manifestEntry).parse(JSON.parse(text)),
		() => null,
	);
}

export function baseUnknown(app: string, base: string): DeployError {
	return new DeployError("MANIFEST_BASE_UNKNOWN", `The agent has no usable manifest of deployment ${base} of ${app}.`, "The client sends the whole manifest instead.");
}

/**
 * The whole manifest a deploy names: as sent, or its diff applied to the base
 * release's (returned too, for the inline files' dictionaries). MANIFEST_BASE_UNKNOWN
 * when the base is gone or does not give the promised hash: the client then sends the
 * whole manifest. Whether the objects are all here is the caller's next question.
 */
export async function resolveManifest(
	agent: HasHome,
	app: string,
	params: { manifest?: ManifestEntry[] | undefined; manifestDiff?: ManifestDiff | undefined },
): Promise<{ manifest: ManifestEntry[]; base: ManifestEntry[] | null; hash?: string }> {
	if (params.manifest) return { manifest: params.manifest, base: null };
	const diff = params.manifestDiff!;
	const unchanged = isEmptyDiff(diff) ? await baseOfEmptyDiff(agent, app, diff) : null;
	if (unchanged) return { manifest: unchanged, base: unchanged, hash: diff.hash };
	const base = await readReleaseManifest(agent, app, diff.base);
	const manifest = base && applyManifestDiff(base, diff);
	if (!manifest) throw baseUnknown(app, diff.base);
	return { manifest, base };
}

/**
 * The base's manifest as it is, for a diff that changes nothing (a no-change
 * redeploy), when the base release recorded the very hash the diff promises: its
 * kept manifest is the one it went live with, so neither a check of each entry nor a
 * hash of them all is needed (for 50,000 files, most of a second). Null otherwise:
 * the full check decides.
 */
async function baseOfEmptyDiff(agent: HasHome, app: string, diff: ManifestDiff): Promise<ManifestEntry[] | null> {
	if (!(await vouchedByBase(agent, app, diff))) return null;
	const manifest: unknown = await readFile(appPaths(agent.home, app).releaseManifest(diff.base), "utf8").then(JSON.parse, () => null);
	return Array.isArray(manifest) ? (manifest as ManifestEntry[]) : null;
}

export function isEmptyDiff(diff: ManifestDiff): boolean {
	return diff.changed.length === 0 && diff.removed.length === 0;
}

/** Whether the base release recorded the very hash the diff promises: its kept manifest is then the one the diff describes. */
export async function vouchedByBase(agent: HasHome, app: string, diff: ManifestDiff): Promise<boolean> {
	const release = await readReleaseSpec(agent.home, app, diff.base).catch(() => null);
	return release?.inputs?.manifest === diff.hash;
}
