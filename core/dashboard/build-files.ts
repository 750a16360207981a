// Issue 17, item 4: the renderer build (dist/renderer) as the upload machinery takes a
// source: each file named by its git blob id, so the server's object store, which
// dedupes a deploy's files, keeps the dashboard's too and only changed files travel.
import { createReadStream } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import type { UploadSource } from "../deploy/upload.js";
import type { DashboardFile } from "../protocol/dashboard.js";
import { DeployError } from "../protocol/errors.js";
import { blobId } from "../source/blob.js";

export interface DashboardBuild {
	files: DashboardFile[];
	source: UploadSource;
}

/** Reads the build once (a few files, under a megabyte): ids and contents. */
export async function readDashboardBuild(dir: string): Promise<DashboardBuild> {
	const entries = await readdir(dir, { recursive: true, withFileTypes: true });
	const byId = new Map<string, { path: string; content: Buffer }>();
	const files: DashboardFile[] = [];
	for (const entry of entries.filter((e) => e.isFile())) {
		const absolute = join(entry.parentPath, entry.name);
		const path = relative(dir, absolute).split(sep).join("/");
		const content = await readFile(absolute);
		const id = blobId(content);
		byId.set(id, { path, content });
		files.push({ path, id });
	}
	if (!files.some((file) => file.path === "index.html")) throw new DeployError("DASHBOARD_NOT_BUILT", `${dir} holds no index.html.`, "Run `npm run build` (it makes dist/renderer).");
	const entryOf = (id: string) => byId.get(id)!;
	const source: UploadSource = {
		manifest: files.map((file) => ({ path: file.path, id: file.id, mode: "100644" as const })),
		readObject: async (id) => entryOf(id).content,
		readChunks: (id, chunkBytes) => createReadStream(join(dir, entryOf(id).path), { highWaterMark: chunkBytes }),
		sizeOf: (id) => entryOf(id).content.length,
		pathOf: (id) => entryOf(id).path,
	};
	return { files, source };
}
