import { access, copyFile, constants as fsConstants, mkdir, open, readdir, readFile, rename, rm, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic } from "../fs/atomic-write.js";
import { type Lease, ObjectLeases } from "./leases.js";
import type { PackEntry } from "./pack-index.js";
import { type Pack, PackSet } from "./packs.js";
import { checkRoom } from "./room.js";
import { writeFilesDurably } from "./write-batch.js";

/** Ids asked about in one folder from which `missing` lists the folder rather than checking each. */
const LIST_FOLDER_FROM = 16;
/**
 * A batch of at least this many objects is stored as one pack (packs.ts); a smaller one
 * as loose files: a few files cost little to create, and a loose object can be
 * collected alone, where a pack goes only once none of its objects is used.
 */
export const PACK_FROM = 64;

/**
 * The content-addressed store, shared by every app and deployment so a file travels
 * once per server: loose objects at objects/<2 hex>/<38 hex> (large files, a
 * redeploy's changes, small batches), and packs at objects/pack/ (a batch of many
 * small files: packs.ts). Every reader asks here, so none cares which one holds an id;
 * an id in both is read from its pack.
 *
 * Collection (collect.ts) removes objects through `remove`, and every reader that
 * relies on an object takes a lease on it first. Both sides decide without awaiting
 * in between (JavaScript runs one of them at a time): either the lease comes first
 * and `remove` declines, or the removal comes first and the reader sees the object
 * as being deleted, answers "missing" and waits for the unlink before writing it again.
 */
export class ObjectStore {
	readonly leases = new ObjectLeases();
	/** Objects whose unlink is in flight. */
	private readonly deleting = new Map<string, Promise<boolean>>();
	readonly packs: PackSet;

	constructor(readonly dir: string) {
		this.packs = new PackSet(join(dir, "pack"));
	}

	pathOf(id: string): string {
		return join(this.dir, id.slice(0, 2), id.slice(2));
	}

	/** Where an id is packed, once its pack was found still there. */
	private async packed(id: string) {
		await this.packs.load();
		const found = this.packs.find(id);
		return found && (await this.packs.present(found.pack)) ? found : undefined;
	}

	async has(id: string): Promise<boolean> {
		if (await this.packed(id)) return true;
		try {
			await access(this.pathOf(id));
			return !this.deleting.has(id);
		} catch {
			return false;
		}
	}

	/**
	 * The ids of `ids` not in the store, in their order, each once. With a lease, every one
	 * of them is held from this call on. A folder asked about for many ids is listed once
	 * (a first deploy of 50,000 files asked 50,000 access() calls: 6 s); one asked about
	 * for a few is not listed: a large store's folder is long.
	 */
	async missing(ids: string[], lease?: Lease): Promise<string[]> {
		const unique = [...new Set(ids)];
		lease?.add(unique);
		await this.packs.load();
		// Packed ids: one check per pack that its file is still there, not one per id.
		const packs = new Set<Pack>();
		for (const id of unique) {
			const found = this.packs.find(id);
			if (found) packs.add(found.pack);
		}
		const gone = new Set<Pack>();
		for (const pack of packs) if (!(await this.packs.present(pack))) gone.add(pack);
		const loose = unique.filter((id) => {
			const found = this.packs.find(id);
			return !found || gone.has(found.pack);
		});
		// Unlinks that began before the lease: any later one declines (the lease holds the id).
		const going = new Set(loose.filter((id) => this.deleting.has(id)));
		const byFolder = new Map<string, string[]>();
		for (const id of loose) {
			const folder = id.slice(0, 2);
			const list = byFolder.get(folder);
			if (list) list.push(id);
			else byFolder.set(folder, [id]);
		}
		const absent = new Set<string>();
		const folders = [...byFolder];
		for (let i = 0; i < folders.length; i += 16) {
			await Promise.all(
				folders.slice(i, i + 16).map(async ([folder, asked]) => {
					if (asked.length < LIST_FOLDER_FROM) {
						const present = await Promise.all(asked.map((id) => !going.has(id) && this.has(id)));
						for (const [j, id] of asked.entries()) if (!present[j]) absent.add(id);
						return;
					}
					const names = new Set(await readdir(join(this.dir, folder)).catch(() => [] as string[]));
					for (const id of asked) if (going.has(id) || !names.has(id.slice(2))) absent.add(id);
				}),
			);
		}
		return unique.filter((id) => absent.has(id));
	}

	/** Stores a checked content under its id, unless the disk would be left with too little room (DISK_LOW). */
	async put(id: string, content: Uint8Array, lease?: Lease): Promise<void> {
		lease?.add([id]);
		// An unlink in flight would otherwise remove the copy written now.
		await this.deleting.get(id)?.catch(() => undefined);
		if (await this.has(id)) return;
		await checkRoom(this.dir, content.byteLength);
		await writeFileAtomic(this.pathOf(id), content);
	}

	/**
	 * Stores checked contents at once (an objects.put batch), unless the disk would be
	 * left with too little room for all of them (DISK_LOW): one flush of the file system
	 * for the lot, each visible only once its bytes are on disk (write-batch.ts). An
	 * object written again is the same bytes renamed over the same bytes.
	 */
	async putMany(objects: readonly { id: string; content: Uint8Array }[], lease?: Lease): Promise<void> {
		if (objects.length === 0) return;
		lease?.add(objects.map((object) => object.id));
		if (objects.length >= PACK_FROM) {
			await this.packs.load();
			// Each id once, and none a pack already holds: a pack is never written over.
			const fresh = [...new Map(objects.map((object) => [object.id, object])).values()].filter(({ id }) => !this.packs.find(id));
			if (fresh.length === 0) return;
			await checkRoom(
				this.dir,
				fresh.reduce((sum, { content }) => sum + content.byteLength, 0),
			);
			await this.packs.write(fresh);
			return;
		}
		// An unlink in flight would otherwise remove the copy written now.
		await Promise.all(objects.map(({ id }) => this.deleting.get(id)?.catch(() => undefined)));
		await checkRoom(
			this.dir,
			objects.reduce((sum, { content }) => sum + content.byteLength, 0),
		);
		// Each time, not remembered: someone may remove the store's folders between two batches.
		await Promise.all([...new Set(objects.map(({ id }) => id.slice(0, 2)))].map((prefix) => mkdir(join(this.dir, prefix), { recursive: true, mode: 0o700 })));
		await writeFilesDurably(
			this.dir,
			objects.map(({ id, content }) => ({ path: this.pathOf(id), content })),
		);
	}

	/** Moves a checked, synced temp file (a chunked upload's, beside its place) into the store; the lease was taken when its upload began. */
	async adopt(id: string, temp: string): Promise<void> {
		await this.deleting.get(id)?.catch(() => undefined);
		if (await this.has(id)) {
			await rm(temp, { force: true });
			return;
		}
		await rename(temp, this.pathOf(id));
	}

	/** Deletes an object nobody holds; false when it is held, already going, or gone. */
	async remove(id: string): Promise<boolean> {
		if (this.leases.held(id) || this.deleting.has(id)) return false;
		const unlinking = unlink(this.pathOf(id)).then(
			() => true,
			(error: NodeJS.ErrnoException) => {
				if (error.code === "ENOENT") return false;
				throw error;
			},
		);
		this.deleting.set(id, unlinking);
		try {
			return await unlinking;
		} finally {
			this.deleting.delete(id);
		}
	}

	async read(id: string): Promise<Buffer> {
		const packed = await this.packed(id);
		return packed ? this.packs.read(packed) : readFile(this.pathOf(id));
	}

	/** The last `bytes` of an object (all of a smaller one): a deflate dictionary, of which zlib uses the last 32 KiB only, without reading a large file whole. */
	async readTail(id: string, bytes: number): Promise<Buffer> {
		const packed = await this.packed(id);
		if (packed) return this.packs.read(packed, Math.max(0, packed.length - bytes));
		const handle = await open(this.pathOf(id), "r");
		try {
			const { size } = await handle.stat();
			const length = Math.min(size, bytes);
			const tail = Buffer.alloc(length);
			await handle.read(tail, 0, length, size - length);
			return tail;
		} finally {
			await handle.close();
		}
	}

	/** Copies (reflinks where the file system can) so an app writing to its files never corrupts the store. */
	async copyTo(id: string, target: string): Promise<void> {
		const packed = await this.packed(id);
		if (packed) await writeFile(target, await this.packs.read(packed), { flag: "wx", mode: 0o600 });
		else await copyFile(this.pathOf(id), target, fsConstants.COPYFILE_EXCL | fsConstants.COPYFILE_FICLONE);
	}

	/**
	 * Removes a pack none of whose objects anybody holds (the collection decided no kept
	 * release names them); false when one is held. Decided without awaiting, as `remove`.
	 */
	async removePack(pack: Pack): Promise<boolean> {
		if (pack.entries.some(({ id }) => this.leases.held(id))) return false;
		await this.packs.drop(pack);
		return true;
	}

	/**
	 * Writes `keep` (entries of `pack`) as a pack of their own and removes `pack`, so the
	 * objects no kept release names stop taking room; false, and nothing changed, when
	 * one of the pack's objects is held meanwhile (a reader may have found it in `pack`).
	 */
	async repack(pack: Pack, keep: readonly PackEntry[]): Promise<boolean> {
		const data = await this.packs.readWhole(pack);
		await checkRoom(
			this.dir,
			keep.reduce((sum, { length }) => sum + length, 0),
		);
		const next = await this.packs.write(
			keep.map(({ id, offset, length }) => ({ id, content: data.subarray(offset, offset + length) })),
			false,
		);
		// Decided without awaiting, as removePack: a lease taken from here on finds the new pack.
		if (pack.entries.some(({ id }) => this.leases.held(id)) || !this.packs.list().includes(pack)) {
			await this.packs.discard(next);
			return false;
		}
		await this.packs.replace(pack, next);
		return true;
	}
}
