import { formatSize } from "../protocol/size.js";
import type { AgentSession } from "../provider.js";
import { type DeployEvent, type ManifestEntry, SMALL_OBJECT_BYTES } from "../protocol/index.js";
import { filesOverLimit, fileTooLarge } from "./file-size-limit.js";
import { uploadLargeObject } from "./upload-large.js";
import { uploadProgress } from "./upload-progress.js";
import { uploadSmallObjects } from "./upload-small.js";

export interface UploadSource {
	manifest: ManifestEntry[];
	/** The manifest's hash when the source computed it already (the snapshot does). */
	manifestHash?: string;
	/** The whole content of an object: for small files. */
	readObject(id: string): Promise<Buffer>;
	/** The content in chunks: a large file is never held whole. */
	readChunks(id: string, chunkBytes: number): AsyncIterable<Buffer>;
	sizeOf(id: string): number;
	pathOf(id: string): string;
	/** Frees what the source kept in memory for the upload (core/source/kept-contents.ts). */
	dropKept?(): void;
}

/**
 * Content-addressed upload: the agent says which objects it lacks and only those
 * travel. Its store dedupes across deployments and apps, so a redeploy after a
 * one-line change sends one object. Small files go compressed in batches bounded
 * by bytes and count, several in flight (upload-small.ts); a large file streams in
 * chunks (upload-large.ts): neither end ever holds a whole large file. A file over
 * the server's limit is refused, by its path, before anything travels.
 */
export async function uploadMissingObjects(
	session: AgentSession,
	source: UploadSource,
	emit: (event: DeployEvent) => void,
	/** The objects that may be new: a manifest diff's changed entries, or (default) every one of the manifest. */
	candidates: readonly ManifestEntry[] = source.manifest,
): Promise<{ objectsSent: number; objectBytes: number }> {
	const started = Date.now();
	emit({ type: "step", step: "upload", status: "started" });
	const ids = [...new Set(candidates.map((entry) => entry.id))];
	// Nothing changed against the base: no question to ask, no round trip.
	// The file count goes first: a tree over the server's limit is refused (TOO_MANY_FILES) before anything is uploaded.
	const answer = ids.length > 0 ? await session.rpc.call("objects.missing", { ids, files: source.manifest.length }) : { missing: [] as string[] };
	const { missing } = answer;
	if (answer.maxObjectBytes !== undefined) {
		const over = filesOverLimit(
			missing.map((id) => ({ path: source.pathOf(id), size: source.sizeOf(id) })),
			answer.maxObjectBytes,
		);
		if (over.length > 0) throw fileTooLarge(over, answer.maxObjectBytes);
	}
	const small = missing.filter((id) => source.sizeOf(id) <= SMALL_OBJECT_BYTES);
	const large = missing.filter((id) => source.sizeOf(id) > SMALL_OBJECT_BYTES);
	const progress = uploadProgress(
		missing.reduce((sum, id) => sum + source.sizeOf(id), 0),
		emit,
	);
	let objectBytes = await uploadSmallObjects(session.rpc, source, small, progress.add);
	for (const id of large) objectBytes += await uploadLargeObject(session.rpc, source, id, progress.add);
	// Files the server had already were never taken: their bytes go now, not when the deploy that follows is done.
	source.dropKept?.();
	progress.finish();
	emit({
		type: "step",
		step: "upload",
		status: "done",
		message: `${missing.length} of ${ids.length} objects sent (${formatSize(objectBytes)} compressed)`,
		durationMs: Date.now() - started,
	});
	return { objectsSent: missing.length, objectBytes };
}
