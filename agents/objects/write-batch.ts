import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { open, rename, rm, writeFile } from "node:fs/promises";

/** File operations in flight: enough to keep libuv's threads busy, few enough to leave the daemon's other work room. */
const FILES_IN_FLIGHT = 16;

/**
 * Writes many files the way git's core.fsync=batch does: every temp file written
 * without an fsync of its own, the file system flushed once (syncfs, through
 * `sync -f`), then each renamed into place. One fsync per file cost 5,000 small
 * files 3-4 s on ext4; one flush costs the batch a few milliseconds. A file appears
 * under its name only after its bytes were flushed, so a crash at any point leaves
 * each one whole or absent (with a temp file the object collector removes), never
 * half written. The folders must exist, all on the file system of `dir`. Temp files
 * are removed when a step fails.
 */
export async function writeFilesDurably(dir: string, files: readonly { path: string; content: Uint8Array }[]): Promise<void> {
	// One random part for the batch, a counter for each file: randomBytes per file cost the daemon more than the write.
	const batch = randomBytes(4).toString("hex");
	const temps = files.map(({ path }, i) => tempName(path, `${batch}${i}`));
	try {
		await eachLimit(files, (file, i) => writeFile(temps[i] as string, file.content, { flag: "wx", mode: 0o600 }));
		await flushFileSystem(dir, temps);
		await eachLimit(files, (file, i) => rename(temps[i] as string, file.path));
	} catch (error) {
		await eachLimit(temps, (temp) => rm(temp, { force: true })).catch(() => undefined);
		throw error;
	}
}

/** Beside `path`, under the name the object collector knows for a leftover temp file (core/protocol/atomic-write.ts): .<name>.<unique>.tmp */
function tempName(path: string, unique: string): string {
	const slash = path.lastIndexOf("/");
	return `${path.slice(0, slash + 1)}.${path.slice(slash + 1)}.${unique}.tmp`;
}

/**
 * syncfs(2) on the file system holding `dir`: coreutils' `sync -f`, since Node has
 * no binding for it. Where that is missing or fails (no coreutils, an old one without
 * -f), each file is fsynced instead: slower, as safe.
 */
async function flushFileSystem(dir: string, files: readonly string[]): Promise<void> {
	if (files.length === 0) return;
	const flushed = await new Promise<boolean>((resolve) => execFile("sync", ["-f", dir], (error) => resolve(!error)));
	if (flushed) return;
	await eachLimit(files, async (path) => {
		const handle = await open(path, "r");
		try {
			await handle.sync();
		} finally {
			await handle.close();
		}
	});
}

/** Runs `task` over `items`, FILES_IN_FLIGHT at a time; the first failure is thrown once the started ones end. */
export async function eachLimit<T>(items: readonly T[], task: (item: T, index: number) => Promise<unknown>): Promise<void> {
	let next = 0;
	let failure: { error: unknown } | null = null;
	const worker = async () => {
		while (next < items.length && !failure) {
			const index = next++;
			await task(items[index] as T, index).catch((error: unknown) => {
				failure ??= { error };
			});
		}
	};
	await Promise.all(Array.from({ length: Math.min(FILES_IN_FLIGHT, items.length) }, worker));
	if (failure) throw (failure as { error: unknown }).error;
}
