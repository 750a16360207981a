import { createHash } from "node:crypto";
import fs from "node:fs";
import { join, sep } from "node:path";
import { promisify } from "node:util";
import { DeployError } from "../protocol/errors.js";
import type { ManifestEntry } from "../protocol/spec.js";
import type { KeptContents } from "./kept-contents.js";
import type { StatCache } from "./stat-cache.js";

// The callback API wrapped: for thousands of small files it is markedly faster
// than node:fs/promises, whose readFile reads in several round trips.
const lstat = promisify(fs.lstat);
const readFile = promisify(fs.readFile);
const readlink = promisify(fs.readlink);

/** A manifest entry and the size of its content (what the upload and the per-file limit need). */
export interface SizedEntry {
	entry: ManifestEntry;
	size: number;
}

/** Files larger than this are hashed as a stream: the snapshot never holds a large file whole. */
export const STREAM_HASH_BYTES = 4 * 1024 * 1024;
const STREAM_CHUNK_BYTES = 1024 * 1024;

/**
 * One path of the working tree as git would store it: mode and blob id of the
 * content as it is now. Null when the path is gone or is not a file any more
 * (a tracked file deleted, or replaced by a folder).
 */
export async function blobEntry(root: string, path: string, cache?: StatCache, kept?: KeptContents): Promise<SizedEntry | null> {
	const absolute = join(root, ...path.split("/"));
	const stats = await lstatOrNull(absolute);
	if (!stats) return null;
	const mode = modeOf(stats);
	if (!mode) return null;
	const stat = { size: stats.size, mtimeMs: stats.mtimeMs, ctimeMs: stats.ctimeMs, ino: stats.ino, mode };
	const cached = cache?.lookup(path, stat);
	let sized: SizedEntry;
	if (cached) sized = { entry: { path, mode, id: cached }, size: stats.size };
	else if (mode !== "120000" && stats.size > STREAM_HASH_BYTES) sized = { entry: { path, mode, id: await streamedBlobId(absolute, stats.size, path) }, size: stats.size };
	else {
		const content = await blobContent(absolute, mode);
		sized = { entry: { path, mode, id: blobId(content) }, size: content.length };
		kept?.offer(sized.entry.id, content);
	}
	// What was read is remembered with the stat taken before the read: a write meanwhile changes the stat, so the next snapshot reads again.
	cache?.remember(path, stat, sized.entry.id);
	return sized;
}

/**
 * The entry of a file the stat cache vouches for, with one synchronous lstat: null
 * when the path is gone or not a file, undefined when the file must be read
 * (blobEntry). Synchronous on purpose: a redeploy of 50,000 unchanged files is
 * 50,000 lstats, which a tight loop does several times faster than promises through
 * the threadpool; the SSH handshake meanwhile runs in its own thread (cli/ssh-worker).
 */
export function cachedEntry(root: string, path: string, cache: StatCache): SizedEntry | null | undefined {
	let stats: fs.Stats;
	try {
		// Concatenated, not join()ed: the paths are relative and normal already, and join's parsing showed in the profile.
		// No options: their parsing per call cost a third of the loop's JavaScript; a missing file (rare) throws instead.
		stats = fs.lstatSync(root + sep + (sep === "/" ? path : path.replaceAll("/", sep)));
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === "ENOENT" || code === "ENOTDIR") return null;
		throw error;
	}
	const mode = modeOf(stats);
	if (!mode) return null;
	const stat = { size: stats.size, mtimeMs: stats.mtimeMs, ctimeMs: stats.ctimeMs, ino: stats.ino, mode };
	const id = cache.reuse(path, stat);
	if (!id) return undefined;
	return { entry: { path, mode, id }, size: stats.size };
}

/** Git's mode of a file or symlink (git records only the owner's execute bit); null for anything else. */
function modeOf(stats: fs.Stats): ManifestEntry["mode"] | null {
	if (stats.isSymbolicLink()) return "120000";
	if (stats.isFile()) return stats.mode & 0o100 ? "100755" : "100644";
	return null;
}

/** The blob id of a large file, read in chunks into one buffer (no trail of them for the garbage collector); a file whose size changes meanwhile is SOURCE_CHANGED. */
export async function streamedBlobId(absolute: string, size: number, path: string): Promise<string> {
	const hash = createHash("sha1").update(`blob ${size}\0`);
	const handle = await fs.promises.open(absolute, "r");
	try {
		const buffer = Buffer.allocUnsafe(Math.min(STREAM_CHUNK_BYTES, size));
		let read = 0;
		for (;;) {
			const { bytesRead } = await handle.read(buffer, 0, buffer.length, read);
			if (bytesRead === 0) break;
			hash.update(buffer.subarray(0, bytesRead));
			read += bytesRead;
		}
		if (read !== size) throw new DeployError("SOURCE_CHANGED", `${path} changed while it was being read.`, "Run the deploy again once the files are saved.");
		return hash.digest("hex");
	} finally {
		await handle.close();
	}
}

/**
 * The git blob id of some content (what `git hash-object` prints). node:crypto
 * rather than isomorphic-git's hashBlob: the same sha1 of "blob <size>\0" + content,
 * some 40 times faster, which is most of a snapshot's time on a large project.
 */
export function blobId(content: Buffer): string {
	return createHash("sha1").update(`blob ${content.length}\0`).update(content).digest("hex");
}

/** What the blob holds: the file's bytes, or for a symlink its target (as git stores links). */
export async function blobContent(absolute: string, mode: ManifestEntry["mode"]): Promise<Buffer> {
	if (mode === "120000") return Buffer.from(await readlink(absolute, { encoding: "buffer" }));
	return readFile(absolute);
}

async function lstatOrNull(path: string) {
	try {
		return await lstat(path);
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === "ENOENT" || code === "ENOTDIR") return null;
		throw error;
	}
}

/** Runs `task` over `items` with at most `limit` at a time, keeping the order of results. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
	const results = new Array<R>(items.length);
	let next = 0;
	const worker = async () => {
		while (next < items.length) {
			const index = next++;
			results[index] = await task(items[index]!);
		}
	};
	await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
	return results;
}
