import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import * as z from "zod";
import { writeFileAtomic } from "../protocol/atomic-write.js";
import { deploymentId, type ManifestEntry, manifestEntry } from "../protocol/index.js";

/**
 * What this client last deployed of an app to a server: the deployment that went
 * live, its manifest and its spec's hash (the base of the next deploy's diff and
 * `specRef`), and the content of its small files (the dictionaries that turn a changed
 * file into a delta of a few bytes). A cache only: lost, stale or unreadable, the
 * deploy sends more.
 */
export interface ManifestBase {
	read(): Promise<KnownBase | null>;
	write(id: string, manifest: ManifestEntry[], kept?: KeptSource): Promise<void>;
	/** A file as it was deployed, by blob id; null when not kept (large, or never written). */
	content(id: string): Promise<Buffer | null>;
}

/** Where the kept files come from: the snapshot just deployed. */
export interface KeptSource {
	specHash: string;
	readObject(id: string): Promise<Buffer>;
	/** Sizes first: a large file is never read only to be found too large to keep. */
	sizeOf(id: string): number;
}

export interface KnownBase {
	id: string;
	manifest: ManifestEntry[];
	specHash: string | null;
}

/** Deflate looks back 32 KiB at most: a longer dictionary buys nothing, so larger files are not kept. */
export const MAX_KEPT_FILE_BYTES = 32 * 1024;
/** Bounds the copy a huge project would leave on this machine. */
const MAX_KEPT_FILES = 2_000;

const stored = z.object({ id: deploymentId, manifest: z.array(manifestEntry), specHash: z.string().nullable().default(null) });

/** One file per server and app under `<home>/manifests/`, named by a hash (server names are the user's), and a folder of kept files beside it. */
export function manifestBaseFile(home: string, server: string, app: string): ManifestBase {
	const name = createHash("sha256").update(`${server}\0${app}`).digest("hex").slice(0, 32);
	const dir = join(home, "manifests");
	const path = join(dir, `${name}.json`);
	const files = join(dir, `${name}.files`);
	return {
		async read() {
			try {
				return stored.parse(JSON.parse(await readFile(path, "utf8")));
			} catch {
				return null;
			}
		},
		async write(id, manifest, kept) {
			await mkdir(dir, { recursive: true, mode: 0o700 });
			if (kept) await keepFiles(files, manifest, kept);
			else await rm(files, { recursive: true, force: true });
			await writeFileAtomic(path, JSON.stringify({ id, manifest, specHash: kept?.specHash ?? null }));
		},
		async content(id) {
			return readFile(join(files, id)).catch(() => null);
		},
	};
}

/** Keeps the manifest's small files (those not kept yet) and drops the ones it no longer lists. */
async function keepFiles(dir: string, manifest: ManifestEntry[], source: KeptSource): Promise<void> {
	await mkdir(dir, { recursive: true, mode: 0o700 });
	const have = new Set(await readdir(dir));
	const wanted = new Set(manifest.slice(0, MAX_KEPT_FILES).map((e) => e.id));
	await Promise.all(
		[...have].filter((id) => !wanted.has(id)).map((id) => rm(join(dir, id), { force: true })),
	);
	for (const id of wanted) {
		if (have.has(id) || source.sizeOf(id) > MAX_KEPT_FILE_BYTES) continue;
		const content = await source.readObject(id).catch(() => null);
		if (content && content.length <= MAX_KEPT_FILE_BYTES) await writeFile(join(dir, id), content, { mode: 0o600 });
	}
}
