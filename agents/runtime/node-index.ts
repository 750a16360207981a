import { mkdtemp, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { DeployError } from "../../core/protocol/index.js";
import type { NodeArch } from "../../core/protocol/runtime.js";
import { download } from "../system/download.js";
import type { IndexRelease } from "./resolve.js";

/** index.json of the official dist layout: what the choice of a release needs from it. */
export function parseNodeIndex(value: unknown, arch: NodeArch): IndexRelease[] {
	if (!Array.isArray(value)) return [];
	return value.flatMap((entry: { version?: unknown; files?: unknown; lts?: unknown }) => {
		if (typeof entry?.version !== "string" || !/^v\d+\.\d+\.\d+$/.test(entry.version)) return [];
		const files = Array.isArray(entry.files) ? entry.files : [];
		return [{ version: entry.version.slice(1), lts: typeof entry.lts === "string" ? entry.lts.toLowerCase() : null, available: files.includes(`linux-${arch}`) }];
	});
}

/** Downloads the mirror's index.json with the server's curl, into `scratch` (removed after). */
export async function fetchNodeIndex(mirror: string, arch: NodeArch, scratch: string): Promise<IndexRelease[]> {
	const dir = await mkdtemp(join(scratch, ".index-"));
	try {
		const file = join(dir, "index.json");
		await download(`${mirror.replace(/\/+$/, "")}/index.json`, file);
		try {
			return parseNodeIndex(JSON.parse(await readFile(file, "utf8")), arch);
		} catch {
			throw new DeployError("NODE_INDEX_INVALID", `${mirror}/index.json is not a Node.js release index.`, "Point --node-mirror at a mirror in the official dist layout (index.json, v<version>/...).");
		}
	} finally {
		await rm(dir, { recursive: true, force: true });
	}
}
