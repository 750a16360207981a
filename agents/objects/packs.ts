import { randomBytes } from "node:crypto";
import { access, open, readdir, readFile, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic } from "../fs/atomic-write.js";
import { decodePackIndex, encodePackIndex, type PackEntry } from "./pack-index.js";

/** A pack on disk: its objects' bytes back to back (pack-<name>.pack), found through its index (pack-<name>.idx). */
export interface Pack {
	name: string;
	path: string;
	indexPath: string;
	entries: readonly PackEntry[];
	/** The pack's size: what its objects take on disk. */
	bytes: number;
}

export interface PackedObject {
	pack: Pack;
	offset: number;
	length: number;
}

/**
 * The packs of the object store (objects/pack/). Creating a file costs 140-230 µs on
 * the disks this runs on, so 50,000 loose objects cost 7-12 s however they are
 * written; git push writes one pack. An objects.put batch of many small files is
 * therefore stored as one pack and one index (two files, not 2,000).
 *
 * A pack is visible only through its index, and both are whole before the index
 * appears: written as temp files, each fsynced, the pack renamed into place, the
 * index last. A crash leaves temp files or a pack without an index, which
 * no reader sees and the collection removes once stale (collect.ts). Every index is
 * read once (on first use) into a map from id to place; this daemon is the store's
 * only writer, so the map stays true.
 */
export class PackSet {
	private readonly byId = new Map<string, PackedObject>();
	private readonly packs = new Map<string, Pack>();
	private loading: Promise<void> | null = null;

	constructor(readonly dir: string) {}

	/** Reads every index once; an index that is damaged or whose pack is shorter than it says is skipped (its objects read as missing). */
	load(): Promise<void> {
		this.loading ??= (async () => {
			const names = await readdir(this.dir).catch(() => [] as string[]);
			for (const file of names) {
				if (!file.startsWith("pack-") || !file.endsWith(".idx")) continue;
				const name = file.slice(0, -".idx".length);
				const pack = await readPack(this.dir, name);
				if (pack) this.add(pack);
			}
		})();
		return this.loading;
	}

	/** Where an object is packed; call after `load`. */
	find(id: string): PackedObject | undefined {
		return this.byId.get(id);
	}

	list(): Pack[] {
		return [...this.packs.values()];
	}

	/** Whether the pack's file is still there: someone may have removed the store's folders by hand; its objects then read as missing. */
	async present(pack: Pack): Promise<boolean> {
		if (!this.packs.has(pack.name)) return false;
		const there = await access(pack.path).then(
			() => true,
			() => false,
		);
		if (!there) this.forget(pack);
		return there;
	}

	/** The entries of a pack that readers find there: an id also in a later pack (a repack a crash interrupted) is read from that one. */
	owned(pack: Pack): PackEntry[] {
		return pack.entries.filter(({ id }) => this.byId.get(id)?.pack === pack);
	}

	/**
	 * Writes checked objects (distinct ids) as one pack; they are readable once this
	 * resolves, or, when not `visible`, once `replace` puts the pack in another's place.
	 */
	async write(objects: readonly { id: string; content: Uint8Array }[], visible = true): Promise<Pack> {
		const name = `pack-${Date.now().toString(36)}-${randomBytes(6).toString("hex")}`;
		const entries: PackEntry[] = [];
		let offset = 0;
		for (const { id, content } of objects) {
			entries.push({ id, offset, length: content.byteLength });
			offset += content.byteLength;
		}
		const path = join(this.dir, `${name}.pack`);
		const indexPath = join(this.dir, `${name}.idx`);
		// Each fsynced and renamed into place (the one atomic write), as git does its pack and
		// index: two files, where the file system's flush (write-batch.ts, for many loose
		// files) waits for every other writer's data too. The index last: until it is
		// there no reader sees the pack; a pack left without one is the collection's.
		try {
			await writeFileAtomic(path, Buffer.concat(objects.map(({ content }) => content)));
			await writeFileAtomic(indexPath, encodePackIndex(entries));
		} catch (error) {
			await rm(path, { force: true }).catch(() => undefined);
			throw error;
		}
		const pack: Pack = { name, path, indexPath, entries, bytes: offset };
		if (visible) this.add(pack);
		return pack;
	}

	/** One object's bytes. */
	async read({ pack, offset, length }: PackedObject, from = 0): Promise<Buffer> {
		const handle = await open(pack.path, "r");
		try {
			const out = Buffer.alloc(length - from);
			const { bytesRead } = await handle.read(out, 0, out.length, offset + from);
			if (bytesRead !== out.length) throw Object.assign(new Error(`${pack.path} is shorter than its index says`), { code: "EIO" });
			return out;
		} finally {
			await handle.close();
		}
	}

	/** A whole pack, read once in one go (at most one objects.put batch: a few MiB), to write many of its objects out. */
	readWhole(pack: Pack): Promise<Buffer> {
		return readFile(pack.path);
	}

	/** Readers find `next`'s objects there and `old`'s others nowhere, at once; then `old`'s files go. */
	async replace(old: Pack, next: Pack): Promise<void> {
		this.add(next);
		this.forget(old);
		await rm(old.indexPath, { force: true });
		await rm(old.path, { force: true });
	}

	/** Removes the files of a pack written not visible and not wanted after all. */
	async discard(pack: Pack): Promise<void> {
		await rm(pack.indexPath, { force: true });
		await rm(pack.path, { force: true });
	}

	/** Removes a pack: its objects read as missing at once, then its index goes, then its file (a crash between leaves a pack without an index, which the collection removes). */
	async drop(pack: Pack): Promise<void> {
		this.forget(pack);
		await this.discard(pack);
	}

	private add(pack: Pack): void {
		this.packs.set(pack.name, pack);
		for (const { id, offset, length } of pack.entries) this.byId.set(id, { pack, offset, length });
	}

	private forget(pack: Pack): void {
		this.packs.delete(pack.name);
		for (const { id } of pack.entries) if (this.byId.get(id)?.pack === pack) this.byId.delete(id);
	}
}

async function readPack(dir: string, name: string): Promise<Pack | null> {
	const path = join(dir, `${name}.pack`);
	const indexPath = join(dir, `${name}.idx`);
	try {
		const [index, packInfo] = await Promise.all([readFile(indexPath), stat(path)]);
		const entries = decodePackIndex(index, packInfo.size);
		return entries ? { name, path, indexPath, entries, bytes: packInfo.size } : null;
	} catch {
		// Removed meanwhile, or an index without its pack: nothing to read from.
		return null;
	}
}
