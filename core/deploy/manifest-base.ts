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
	specHash: string | null;
	/** The manifest's hash (core/protocol/manifest.ts): when the snapshot's is the same, nothing changed and the manifest is never read. */
	hash: string | null;
	/** The manifest itself, read when asked; null when it is gone or not the one `hash` names. */
	manifest(): Promise<ManifestEntry[] | null>;
}

/** Deflate looks back 32 KiB at most: a longer dictionary buys nothing, so larger files are not kept. */
export const MAX_KEPT_FILE_BYTES = 32 * 1024;
/** Bounds the copy a huge project would leave on this machine. */
const MAX_KEPT_FILES = 2_000;

/** The small file read on every redeploy; the manifest (megabytes for a large tree) is beside it, read only when something changed. */
const header = z.object({ id: deploymentId, specHash: z.string().nullable().default(null), hash: z.string() });
/** What an older client wrote: the manifest inside. */
const whole = z.object({ id: deploymentId, manifest: z.array(manifestEntry), specHash: z.string().nullable().default(null) });

/** One file per server and app under `<home>/manifests/`, named by a hash (server names are the user's), its manifest and a folder of kept files beside it. */
export function manifestBaseFile(home: string, server: string, app: string): ManifestBase {
	const name = createHash("sha256").update(`${server}\0${app}`).digest("hex").slice(0, 32);
	const dir = join(home, "manifests");
	const path = join(dir, `${name}.json`);
	const manifestPath = join(dir, `${name}.manifest.json`);
	const files = join(dir, `${name}.files`);
	return {
		async read() {
			try {
				const parsed: unknown = JSON.parse(await readFile(path, "utf8"));
				const known = header.safeParse(parsed);
				if (known.success) return { ...known.data, manifest: () => readManifest(manifestPath, known.data.hash) };
				const old = whole.parse(parsed);
				return { id: old.id, specHash: old.specHash, hash: null, manifest: async () => old.manifest };
			} catch {
				return null;
			}
		},
		async write(id, manifest, kept) {
			await mkdir(dir, { recursive: true, mode: 0o700 });
			if (kept) await keepFiles(files, manifest, kept);
			else await rm(files, { recursive: true, force: true });
			// The manifest first: a header never names a manifest not written yet (and one that does not match its hash is no base).
			const { manifestHash } = await import("../protocol/manifest.js");
			await writeFileAtomic(manifestPath, JSON.stringify(manifest));
			await writeFileAtomic(path, JSON.stringify({ id, specHash: kept?.specHash ?? null, hash: manifestHash(manifest) }));
		},
		async content(id) {
			return readFile(join(files, id)).catch(() => null);
		},
	};
}

/**
 * The manifest beside a header, checked by its hash rather than entry by entry: a
 * file this client wrote, and the hash covers every path, mode and id of it.
 */
async function readManifest(path: string, hash: string): Promise<ManifestEntry[] | null> {
	try {
		const manifest = JSON.parse(await readFile(path, "utf8")) as ManifestEntry[];
		const { manifestHash } = await import("../protocol/manifest.js");
		return Array.isArray(manifest) && manifestHash(manifest) === hash ? manifest : null;
	} catch {
		return null;
	}
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
