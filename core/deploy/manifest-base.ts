import { createHash } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { deploymentId, type ManifestEntry, manifestEntry } from "../protocol/index.js";

/**
 * The last manifest this client deployed of an app to a server, and the deployment
 * that went live with it: the base of the next deploy's manifest diff. A cache only:
 * lost, stale or unreadable, the deploy sends the whole manifest.
 */
export interface ManifestBase {
	read(): Promise<{ id: string; manifest: ManifestEntry[] } | null>;
	write(id: string, manifest: ManifestEntry[]): Promise<void>;
}

const stored = z.object({ id: deploymentId, manifest: z.array(manifestEntry) });

/** One file per server and app under `<home>/manifests/`, named by a hash (server names are the user's). */
export function manifestBaseFile(home: string, server: string, app: string): ManifestBase {
	const name = createHash("sha256").update(`${server}\0${app}`).digest("hex").slice(0, 32);
	const dir = join(home, "manifests");
	const path = join(dir, `${name}.json`);
	return {
		async read() {
			try {
				return stored.parse(JSON.parse(await readFile(path, "utf8")));
			} catch {
				return null;
			}
		},
		async write(id, manifest) {
			await mkdir(dir, { recursive: true });
			const tmp = `${path}.${process.pid}.tmp`;
			await writeFile(tmp, JSON.stringify({ id, manifest }));
			await rename(tmp, path);
		},
	};
}
