import { promisify } from "node:util";
import { deflateRaw } from "node:zlib";
import type { AgentSession } from "../provider.js";
import type { DeployEvent, ManifestEntry } from "../protocol/index.js";

const deflate = promisify(deflateRaw);

/** Raw bytes per objects.put batch: keeps each RPC line far below the protocol's limit. */
const BATCH_BYTES = 4 * 1024 * 1024;

export interface UploadSource {
	manifest: ManifestEntry[];
	readObject(id: string): Promise<Buffer>;
}

/**
 * Content-addressed upload: the agent says which objects it lacks and only those
 * travel, compressed. Its store dedupes across deployments and apps, so a redeploy
 * after a one-line change sends one object.
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
	const { missing } = ids.length > 0 ? await session.rpc.call("objects.missing", { ids, files: source.manifest.length }) : { missing: [] as string[] };
	let objectBytes = 0;
	let batch: { id: string; data: string }[] = [];
	let batchBytes = 0;
	let done = 0;
	const flush = async () => {
		if (batch.length === 0) return;
		await session.rpc.call("objects.put", { objects: batch });
		done += batch.length;
		emit({ type: "progress", step: "upload", done, total: missing.length, unit: "objects" });
		batch = [];
		batchBytes = 0;
	};
	for (const id of missing) {
		const content = await source.readObject(id);
		const compressed = await deflate(content);
		objectBytes += compressed.length;
		batch.push({ id, data: compressed.toString("base64") });
		batchBytes += content.length;
		if (batchBytes >= BATCH_BYTES) await flush();
	}
	await flush();
	emit({
		type: "step",
		step: "upload",
		status: "done",
		message: `${missing.length} of ${ids.length} objects sent (${formatBytes(objectBytes)} compressed)`,
		durationMs: Date.now() - started,
	});
	return { objectsSent: missing.length, objectBytes };
}

export function formatBytes(bytes: number): string {
	if (bytes < 1024) return `${bytes} B`;
	if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} kB`;
	return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
