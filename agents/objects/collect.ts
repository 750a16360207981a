import { readdir, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { formatSize } from "../../core/protocol/size.js";
import type { AgentHome } from "../home.js";
import { referencedObjects } from "./references.js";
import type { ObjectStore } from "./store.js";

export interface ObjectCount {
	objects: number;
	bytes: number;
}

export interface Collection {
	/** What the store holds after the collection (before it, for a dry run). */
	store: ObjectCount;
	/** Removed; for a dry run, what a collection now would remove. */
	unused: ObjectCount;
}

export interface CollectOptions {
	/** Unused objects younger than this stay: a writer this daemon does not see (none is known) gets that long to name them. */
	graceMs: number;
	/** Count only: `deploy doctor`. */
	dryRun?: boolean;
	now?: number;
}

/** A temp file of an interrupted write: no write takes this long. */
const STALE_TEMP_MS = 60 * 60 * 1000;
const STAT_CONCURRENCY = 64;

/**
 * Removes the objects no kept release names and nobody holds (leases.ts), older than
 * the grace period. The manifests are read after the collection registered itself
 * with the leases, so a deploy that writes its manifest meanwhile keeps its lease
 * until the collection ends.
 */
export async function collectObjects(home: AgentHome, store: ObjectStore, options: CollectOptions): Promise<Collection> {
	return store.leases.collecting(async () => {
		const referenced = await referencedObjects(home);
		const now = options.now ?? Date.now();
		const kept: ObjectCount = { objects: 0, bytes: 0 };
		const unused: ObjectCount = { objects: 0, bytes: 0 };
		for (const prefix of await listDir(store.dir)) {
			if (!/^[0-9a-f]{2}$/.test(prefix)) continue;
			const names = await listDir(join(store.dir, prefix));
			for (let i = 0; i < names.length; i += STAT_CONCURRENCY) {
				await Promise.all(
					names.slice(i, i + STAT_CONCURRENCY).map(async (name) => {
						const path = join(store.dir, prefix, name);
						const info = await stat(path).catch(() => null);
						if (!info?.isFile()) return;
						const age = now - info.mtimeMs;
						if (name.startsWith(".") && name.endsWith(".tmp")) {
							if (age > STALE_TEMP_MS && !options.dryRun) await rm(path, { force: true });
							return;
						}
						const id = prefix + name;
						const collectable = !referenced.has(id) && !store.leases.held(id) && age >= options.graceMs;
						const gone = collectable && (options.dryRun || (await store.remove(id)));
						const into = gone ? unused : kept;
						into.objects += 1;
						into.bytes += info.size;
					}),
				);
			}
		}
		await collectPacks(store, referenced, now, options, kept, unused);
		return { store: options.dryRun ? { objects: kept.objects + unused.objects, bytes: kept.bytes + unused.bytes } : kept, unused };
	});
}

/**
 * A pack goes whole once none of its objects is named, held or younger than the grace.
 * One whose named objects take less than half of it is repacked: those written as a
 * pack of their own, the old one removed (not while one of its objects is held). Any
 * other stays whole, its unused objects with it (counted as kept: a collection now
 * would not remove them). Then the leftovers of crashes in objects/pack/, once stale:
 * temp files, and packs no reader knows (no index, or a damaged one).
 */
async function collectPacks(store: ObjectStore, referenced: Set<string>, now: number, options: CollectOptions, kept: ObjectCount, unused: ObjectCount): Promise<void> {
	await store.packs.load();
	for (const pack of store.packs.list()) {
		// Its age is its index's: the grace counts from when the pack became visible.
		const info = await stat(pack.indexPath).catch(() => null);
		if (!info) continue;
		const owned = store.packs.owned(pack);
		const held = owned.some(({ id }) => store.leases.held(id));
		const live = now - info.mtimeMs < options.graceMs || held ? owned : owned.filter(({ id }) => referenced.has(id));
		const liveBytes = live.reduce((sum, { length }) => sum + length, 0);
		// No await between the checks above and removePack's own: a lease taken meanwhile is seen.
		if (live.length === 0) {
			const gone = options.dryRun || (await store.removePack(pack));
			add(gone ? unused : kept, owned.length, pack.bytes);
		} else if (liveBytes * 2 < pack.bytes && (options.dryRun || (await store.repack(pack, live)))) {
			add(kept, live.length, liveBytes);
			add(unused, owned.length - live.length, pack.bytes - liveBytes);
		} else {
			add(kept, owned.length, pack.bytes);
		}
	}
	if (options.dryRun) return;
	const names = await listDir(store.packs.dir);
	const known = new Set(store.packs.list().map((pack) => pack.name));
	for (const name of names) {
		const leftover = (name.startsWith(".") && name.endsWith(".tmp")) || !known.has(name.replace(/\.(pack|idx)$/, ""));
		if (!leftover) continue;
		const path = join(store.packs.dir, name);
		const info = await stat(path).catch(() => null);
		if (info && now - info.mtimeMs > STALE_TEMP_MS) await rm(path, { force: true });
	}
}

function add(count: ObjectCount, objects: number, bytes: number): void {
	count.objects += objects;
	count.bytes += bytes;
}

/** The agent's collection with its configured grace (DEPLOY_AGENT_OBJECT_GRACE_SECONDS). */
export function collectUnused(agent: { home: AgentHome; store: ObjectStore; tuning: { objectGraceMs: number } }, dryRun = false): Promise<Collection> {
	return collectObjects(agent.home, agent.store, { graceMs: agent.tuning.objectGraceMs, dryRun });
}

/** "12 uploaded files (3.4 MiB)", for log lines, sized by the one formatter. */
export function describeCount({ objects, bytes }: ObjectCount): string {
	return `${objects} uploaded ${objects === 1 ? "file" : "files"} (${formatSize(bytes)})`;
}

async function listDir(dir: string): Promise<string[]> {
	return readdir(dir).catch(() => [] as string[]);
}
