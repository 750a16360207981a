import { promisify } from "node:util";
import { deflateRaw } from "node:zlib";
import type { CallOptions } from "../rpc/client.js";
import type { AgentSession } from "../provider.js";
import { type AppSpec, DeployError, type DeployEvent, type DeploymentRecord, type ManifestEntry, SMALL_OBJECT_BYTES } from "../protocol/index.js";
import type { KnownBase, ManifestBase } from "./manifest-base.js";
import { type UploadSource, uploadMissingObjects } from "./upload.js";

const deflate = promisify(deflateRaw);

/** Changed files up to this much (compressed) travel inside the `deploy` call; more go through objects.missing / objects.put. */
const INLINE_BYTES = 256 * 1024;

/** The agent no longer has what a compact redeploy names: the caller sends everything. */
const RECOVERABLE = new Set(["MANIFEST_BASE_UNKNOWN", "SPEC_UNKNOWN"]);

export interface DiffDeploy {
	/** Null when the agent lacked the base or the spec, or this client its copy of the base's manifest: deploy again with the whole manifest and spec. */
	record: DeploymentRecord | null;
	sent: { objectsSent: number; objectBytes: number };
}

/**
 * A redeploy as what changed since `known` (the last deploy this client made there):
 * the manifest diff, the spec by hash when it is the same, and the changed files
 * inline, each deflated against its previous version (kept by `base`), so a one-line
 * change costs a few bytes and one round trip.
 */
export async function deployAsDiff(
	session: AgentSession,
	source: UploadSource,
	known: KnownBase,
	base: ManifestBase,
	request: { app: AppSpec; specHash: string; commit: string | null; branch?: string; message?: string; wait: boolean },
	emit: (event: DeployEvent) => void,
	callOptions: CallOptions,
): Promise<DiffDeploy> {
	const { diffManifest, manifestHash } = await import("../protocol/manifest.js");
	// Nothing changed (the common redeploy): the diff is empty, and the base's manifest, megabytes for a large tree, is not read.
	const hash = source.manifestHash ?? manifestHash(source.manifest);
	const before = hash === known.hash ? [] : await known.manifest();
	if (!before) return { record: null, sent: { objectsSent: 0, objectBytes: 0 } };
	const diff = hash === known.hash ? { base: known.id, hash, changed: [], removed: [] } : diffManifest(known.id, before, source.manifest);
	const inline = await inlineContents(source, before, base, diff.changed);
	let sent = { objectsSent: 0, objectBytes: 0 };
	if (inline) {
		sent = { objectsSent: Object.keys(inline.contents).length, objectBytes: inline.bytes };
		emit({ type: "step", step: "upload", status: "started" });
		emit({ type: "step", step: "upload", status: "done", message: `${sent.objectsSent} changed ${sent.objectsSent === 1 ? "file" : "files"} sent with the deploy (${inline.bytes} B as deltas)`, durationMs: 0 });
	} else {
		sent = await uploadMissingObjects(session, source, emit, diff.changed);
	}
	const spec = known.specHash === request.specHash ? { specRef: { app: request.app.name, hash: request.specHash } } : { app: request.app };
	const params = {
		...spec,
		manifestDiff: diff,
		...(inline && Object.keys(inline.contents).length > 0 ? { contents: inline.contents } : {}),
		commit: request.commit,
		...(request.branch ? { branch: request.branch } : {}),
		...(request.message ? { message: request.message } : {}),
		// The agent's default; left out, it costs no bytes.
		...(request.wait ? {} : { wait: false }),
	};
	const record = await session.rpc.call("deploy", params, callOptions).catch((error: unknown) => {
		if (error instanceof DeployError && RECOVERABLE.has(error.code)) return null;
		throw error;
	});
	return { record, sent };
}

/** The changed files, deflated against their previous versions where this client kept them; null when they are too large to inline. */
async function inlineContents(source: UploadSource, baseManifest: readonly ManifestEntry[], base: ManifestBase, changed: readonly ManifestEntry[]): Promise<{ contents: Record<string, string>; bytes: number } | null> {
	const before = new Map(baseManifest.map((e) => [e.path, e.id]));
	const contents: Record<string, string> = {};
	let bytes = 0;
	for (const entry of changed) {
		const previous = before.get(entry.path);
		// Only a mode changed: the agent has the content already.
		if (previous === entry.id) continue;
		// A large file streams through the upload instead; it would not fit inline anyway.
		if (source.sizeOf(entry.id) > SMALL_OBJECT_BYTES) return null;
		const content = await source.readObject(entry.id);
		const dictionary = previous ? await base.content(previous) : null;
		// Without the previous version, plain deflate: the agent's inflate with its own base as dictionary reads it all the same.
		const compressed = await deflate(content, dictionary ? { dictionary } : {});
		bytes += compressed.length;
		if (bytes > INLINE_BYTES) return null;
		contents[entry.path] = compressed.toString("base64");
	}
	return { contents, bytes };
}
