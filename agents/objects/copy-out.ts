import { chmod, writeFile } from "node:fs/promises";
import type { PackedObject, Pack } from "./packs.js";
import type { ObjectStore } from "./store.js";
import { eachLimit } from "./write-batch.js";

export interface ObjectCopy {
	id: string;
	target: string;
	/** The file's permission bits (0o600, 0o700): set after the write, whatever the umask. */
	mode: number;
}

/**
 * Writes many objects out as new files (a release being materialized). Packed ones
 * are written pack by pack, each pack read once in one go: 50,000 small files are 25
 * sequential reads instead of 50,000 opens of the store. Loose ones are copied
 * (reflinked where the file system can) as `store.copyTo` does. A failure is passed to
 * `failed` with its file, and what it returns is thrown.
 */
export async function copyObjectsTo<T extends ObjectCopy>(store: ObjectStore, files: readonly T[], failed: (file: T, error: NodeJS.ErrnoException) => Error): Promise<void> {
	await store.packs.load();
	const byPack = new Map<Pack, { file: T; at: PackedObject }[]>();
	const loose: T[] = [];
	for (const file of files) {
		const at = store.packs.find(file.id);
		if (!at) {
			loose.push(file);
			continue;
		}
		const group = byPack.get(at.pack);
		if (group) group.push({ file, at });
		else byPack.set(at.pack, [{ file, at }]);
	}
	// The mode given at creation is all a file needs unless the umask takes bits from it: a chmod each cost 50,000 files a second.
	const umask = process.umask();
	const settle = (file: T, write: () => Promise<unknown>, created: boolean) =>
		write()
			.then(() => (created && (file.mode & ~umask) === file.mode ? undefined : chmod(file.target, file.mode)))
			.catch((error: NodeJS.ErrnoException) => {
				throw failed(file, error);
			});
	for (const [pack, group] of byPack) {
		// Gone since it was indexed (removed by hand): its objects are read as loose ones, and fail as missing ones do.
		const data = (await store.packs.present(pack)) ? await store.packs.readWhole(pack).catch(() => null) : null;
		if (!data) {
			loose.push(...group.map(({ file }) => file));
			continue;
		}
		await eachLimit(group, ({ file, at }) => settle(file, () => writeFile(file.target, data.subarray(at.offset, at.offset + at.length), { flag: "wx", mode: file.mode }), true));
	}
	await eachLimit(loose, (file) => settle(file, () => store.copyTo(file.id, file.target), false));
}
