import { readFile } from "node:fs/promises";
import { inflateRawSync } from "node:zlib";
import * as z from "zod";
import { type AppSpec, DeployError, type ManifestDiff, type ManifestEntry, manifestEntry, type methods } from "../../core/protocol/index.js";
import { appSpecHash } from "../../core/protocol/spec-hash.js";
import type { Agent } from "../daemon/agent.js";
import { appPaths } from "../home.js";
import { blobId } from "../objects/blob-id.js";
import { resolveManifest } from "./release-manifest.js";
import { readReleaseSpec } from "./release-spec.js";

type SentParams = z.output<(typeof methods)["deploy"]["params"]>;

/** A deploy's params with everything a redeploy may leave out filled in from what the agent kept. */
export type DeployRequest = Omit<SentParams, "app" | "specRef" | "contents"> & { app: AppSpec; manifest: ManifestEntry[] };

/**
 * Turns a compact redeploy (`specRef` instead of the spec, a manifest diff, changed
 * files inline as deltas) into the whole request. Whatever the agent no longer has is
 * a clear error the client recovers from by sending everything: SPEC_UNKNOWN,
 * MANIFEST_BASE_UNKNOWN. Nothing is recorded before this succeeds.
 */
export async function resolveDeployRequest(agent: Agent, params: SentParams): Promise<DeployRequest> {
	const { specRef, contents, ...rest } = params;
	const app = params.app ?? (await specByHash(agent, specRef!, params.manifestDiff!.base));
	if (contents && params.manifestDiff) await storeInlineContents(agent, app.name, params.manifestDiff, contents);
	const manifest = await resolveManifest(agent, app.name, params);
	return { ...rest, app, manifest };
}

async function specByHash(agent: Agent, ref: { app: string; hash: string }, base: string): Promise<AppSpec> {
	const release = await readReleaseSpec(agent.home, ref.app, base).catch(() => null);
	if (release && appSpecHash(release.spec) === ref.hash) return release.spec;
	throw new DeployError("SPEC_UNKNOWN", `The agent has no spec of ${ref.app} with hash ${ref.hash.slice(0, 12)} (deployment ${base}).`, "The client sends the whole spec instead.");
}

/**
 * Stores the inline files of a diff: each is inflated with the base release's file at
 * the same path as the dictionary (none for a new path) and must hash to the id the
 * diff names for that path.
 */
async function storeInlineContents(agent: Agent, app: string, diff: ManifestDiff, contents: Record<string, string>): Promise<void> {
	const base = await readFile(appPaths(agent.home, app).releaseManifest(diff.base), "utf8").then(
		(text) => new Map(z.array(manifestEntry).parse(JSON.parse(text)).map((e) => [e.path, e.id])),
		() => null,
	);
	if (!base) throw new DeployError("MANIFEST_BASE_UNKNOWN", `The agent has no usable manifest of deployment ${diff.base} of ${app}.`, "The client sends the whole manifest instead.");
	const changed = new Map(diff.changed.map((e) => [e.path, e.id]));
	for (const [path, data] of Object.entries(contents)) {
		const id = changed.get(path);
		if (!id) throw new DeployError("BAD_REQUEST", `${path} is sent inline but is not among the diff's changed files.`);
		const baseId = base.get(path);
		const dictionary = baseId ? await agent.store.read(baseId).catch(() => null) : undefined;
		if (dictionary === null) throw new DeployError("MANIFEST_BASE_UNKNOWN", `The agent lacks the base of ${path} (object ${baseId}).`, "The client sends the whole manifest instead.");
		let content: Buffer;
		try {
			content = inflateRawSync(Buffer.from(data, "base64"), dictionary ? { dictionary } : {});
		} catch (error) {
			throw new DeployError("OBJECT_CORRUPT", `${path} is not valid deflate data: ${(error as Error).message}`, "Run the deploy again; the upload was damaged.");
		}
		if (blobId(content) !== id) throw new DeployError("OBJECT_CORRUPT", `${path} does not match its id ${id}.`, "Run the deploy again; the upload was damaged.");
		await agent.store.put(id, content);
	}
}
