import type * as z from "zod";
import { checkFileCount } from "../../core/protocol/file-limit.js";
import { type AppSpec, DeployError, type ManifestDiff, type ManifestEntry, type methods } from "../../core/protocol/index.js";
import type { DeploymentSource } from "../../core/protocol/source-info.js";
import { appSpecHash } from "../../core/protocol/spec-hash.js";
import type { HasHome, HasStore, HasSupervisor, HasTuning } from "../context/parts.js";
import { blobId } from "../objects/blob-id.js";
import { inflateUpload } from "../objects/inflate.js";
import type { Lease } from "../objects/leases.js";
import { baseUnknown, isEmptyDiff, resolveManifest, vouchedByBase } from "./release-manifest.js";
import { readReleaseSpec } from "./release-spec.js";

type SentParams = z.output<(typeof methods)["deploy"]["params"]>;

/** A deploy's params with everything a redeploy may leave out filled in from what the agent kept. */
export type DeployRequest = Omit<SentParams, "app" | "specRef" | "contents" | "manifest"> & {
	app: AppSpec;
	/** Read when needed: a no-change redeploy of the live release never needs its manifest (megabytes for a large tree). */
	manifest: () => Promise<ManifestEntry[]>;
	manifestHash?: string;
	/** Issue 18: a push's deploy says so (the record's `source`); a client's is an upload. */
	source?: DeploymentSource;
	/** `deploy redeploy`: a new release of the same source (agents/deploy/pipeline.ts). */
	force?: boolean;
};

/**
 * Turns a compact redeploy (`specRef` instead of the spec, a manifest diff, changed
 * files inline as deltas) into the whole request. Whatever the agent no longer has is
 * a clear error the client recovers from by sending everything: SPEC_UNKNOWN,
 * MANIFEST_BASE_UNKNOWN. A tree over the file limit is TOO_MANY_FILES before an
 * inline file is stored. Nothing is recorded before this succeeds. From here on
 * `lease` holds every object of the manifest: no collection removes them.
 */
export async function resolveDeployRequest(agent: HasHome & HasStore & HasSupervisor & HasTuning, params: SentParams, lease: Lease): Promise<DeployRequest> {
	const { specRef, contents, ...rest } = params;
	const app = params.app ?? (await specByHash(agent, specRef!, params.manifestDiff!.base));
	const diff = params.manifestDiff;
	if (diff && !params.manifest && isEmptyDiff(diff) && agent.supervisor.live(app.name) === diff.base && (await vouchedByBase(agent, app.name, diff))) {
		// A no-change redeploy of the live release: its kept manifest names every object, so
		// no collection removes them, and the pipeline answers "unchanged" from the hash alone.
		// Only a deploy that goes on to build reads the manifest (once).
		let loading: Promise<ManifestEntry[]> | null = null;
		return { ...rest, app, manifest: () => (loading ??= liveBaseManifest(agent, app.name, diff, lease)), manifestHash: diff.hash };
	}
	const { manifest, base, hash } = await resolveManifest(agent, app.name, params);
	checkFileCount(manifest.length, agent.tuning.maxFiles);
	lease.add(manifest.map((e) => e.id));
	if (diff && base) {
		if (contents) await storeInlineContents(agent, diff, base, contents, lease);
		// The client only asked about the changed objects: the rest must still be here. Those of the live
		// release are: its kept manifest names them, so no collection removes them, and asking the store
		// about each would cost a no-change redeploy of 50,000 files seconds.
		const unsure = agent.supervisor.live(app.name) === diff.base ? diff.changed : manifest;
		if ((await agent.store.missing(unsure.map((e) => e.id), lease)).length > 0) throw baseUnknown(app.name, diff.base);
	}
	return { ...rest, app, manifest: () => Promise.resolve(manifest), ...(hash ? { manifestHash: hash } : {}) };
}

/**
 * The manifest of a no-change redeploy, once the pipeline needs it (an instance of the
 * live release is down, or the config changed): held by the lease from then on. Another
 * deploy may have gone live while this one waited for the app's lock: then the base is
 * no longer protected by being live, and every object is checked, as for any base.
 */
async function liveBaseManifest(agent: HasHome & HasStore & HasSupervisor, app: string, diff: ManifestDiff, lease: Lease): Promise<ManifestEntry[]> {
	const { manifest } = await resolveManifest(agent, app, { manifestDiff: diff });
	lease.add(manifest.map((e) => e.id));
	if (agent.supervisor.live(app) !== diff.base && (await agent.store.missing(manifest.map((e) => e.id), lease)).length > 0) throw baseUnknown(app, diff.base);
	return manifest;
}

async function specByHash(agent: HasHome, ref: { app: string; hash: string }, base: string): Promise<AppSpec> {
	const release = await readReleaseSpec(agent.home, ref.app, base).catch(() => null);
	if (release && appSpecHash(release.spec) === ref.hash) return release.spec;
	throw new DeployError("SPEC_UNKNOWN", `The agent has no spec of ${ref.app} with hash ${ref.hash.slice(0, 12)} (deployment ${base}).`, "The client sends the whole spec instead.");
}

/**
 * Stores the inline files of a diff: each is inflated (at most DEPLOY_AGENT_MAX_OBJECT_MB)
 * with the base release's file at the same path as the dictionary (none for a new
 * path) and must hash to the id the diff names for that path.
 */
async function storeInlineContents(agent: HasStore & HasTuning, diff: ManifestDiff, baseManifest: ManifestEntry[], contents: Record<string, string>, lease: Lease): Promise<void> {
	const base = new Map(baseManifest.map((e) => [e.path, e.id]));
	const changed = new Map(diff.changed.map((e) => [e.path, e.id]));
	for (const [path, data] of Object.entries(contents)) {
		const id = changed.get(path);
		if (!id) throw new DeployError("BAD_REQUEST", `${path} is sent inline but is not among the diff's changed files.`);
		const baseId = base.get(path);
		if (baseId) lease.add([baseId]);
		const dictionary = baseId ? await agent.store.readTail(baseId, 32 * 1024).catch(() => null) : undefined;
		if (dictionary === null) throw new DeployError("MANIFEST_BASE_UNKNOWN", `The agent lacks the base of ${path} (object ${baseId}).`, "The client sends the whole manifest instead.");
		const content = inflateUpload(data, agent.tuning.maxObjectBytes, path, dictionary);
		if (blobId(content) !== id) throw new DeployError("OBJECT_CORRUPT", `${path} does not match its id ${id}.`, "Run the deploy again; the upload was damaged.");
		await agent.store.put(id, content, lease);
	}
}
