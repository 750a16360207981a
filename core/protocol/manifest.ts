// The source manifest as the client and the agent both compute it: its identity (a
// hash) and the diff that lets a redeploy send only what changed against a manifest
// the agent already has. Not re-exported from index.ts: it needs node:crypto, and
// the renderer imports the protocol's index.
import { createHash } from "node:crypto";
import type { ManifestDiff, ManifestEntry } from "./spec.js";

/**
 * The source snapshot's identity: every path, mode and blob id, order-independent.
 * Computed from the manifest alone, so no key costs a disk walk.
 */
export function manifestHash(manifest: readonly ManifestEntry[]): string {
	const sorted = [...manifest].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
	return createHash("sha256")
		.update(JSON.stringify(sorted.map((e) => `${e.mode} ${e.id} ${e.path}`)))
		.digest("hex");
}

/** What changed from `base` to `next`. Pure: tested by equality. */
export function diffManifest(baseId: string, base: readonly ManifestEntry[], next: readonly ManifestEntry[]): ManifestDiff {
	const before = new Map(base.map((e) => [e.path, e]));
	const changed = next.filter((e) => {
		const old = before.get(e.path);
		return !old || old.id !== e.id || old.mode !== e.mode;
	});
	const paths = new Set(next.map((e) => e.path));
	const removed = base.filter((e) => !paths.has(e.path)).map((e) => e.path);
	return { base: baseId, hash: manifestHash(next), changed, removed };
}

/** The manifest `diff` describes, or null when applying it to `base` does not give the promised hash. */
export function applyManifestDiff(base: readonly ManifestEntry[], diff: Omit<ManifestDiff, "base">): ManifestEntry[] | null {
	const byPath = new Map(base.map((e) => [e.path, e]));
	for (const path of diff.removed) byPath.delete(path);
	for (const entry of diff.changed) byPath.set(entry.path, entry);
	const manifest = [...byPath.values()];
	return manifestHash(manifest) === diff.hash ? manifest : null;
}
