import { addRequest, addSample, type Bucket, emptyBucket, type InstanceSample, isEmpty, mergeBucket } from "./bucket.js";
import type { SeriesStore } from "./series-store.js";
import { bucketStart, type Tier, TIERS } from "./tiers.js";

/**
 * Collects requests and samples into every tier's buckets in memory and appends them
 * to the store on each flush (the collector flushes every tick, so a restart loses at
 * most one tick). Reads merge what is stored with what is not flushed yet. The clock
 * is injected: tests drive days of data in milliseconds.
 */
export class Aggregator {
	/** tier name -> app -> bucket start -> what came in since the last flush. */
	readonly #pending = new Map<Tier["name"], Map<string, Map<number, Bucket>>>();

	constructor(
		readonly store: SeriesStore,
		readonly now: () => number = Date.now,
	) {}

	addRequest(app: string, atMs: number, status: number, durationMs: number, bytes: number): void {
		const at = Math.min(atMs, this.now());
		for (const tier of this.#liveTiers(at)) addRequest(this.#bucket(tier, app, at), status, durationMs, bytes);
	}

	addSample(app: string, atMs: number, instances: readonly InstanceSample[]): void {
		if (instances.length === 0) return;
		for (const tier of this.#liveTiers(atMs)) addSample(this.#bucket(tier, app, atMs), instances);
	}

	async flush(): Promise<void> {
		const now = this.now();
		const pending = [...this.#pending];
		this.#pending.clear();
		for (const [name, apps] of pending) {
			const tier = TIERS.find((t) => t.name === name)!;
			for (const [app, buckets] of apps) {
				const lines = [...buckets.values()].filter((bucket) => !isEmpty(bucket)).sort((a, b) => a.t - b.t);
				await this.store.append(app, tier, lines, now);
			}
		}
	}

	/** The tier's buckets of `app` from `fromMs` on, stored and pending merged, oldest first. */
	async buckets(app: string, tier: Tier, fromMs: number): Promise<Bucket[]> {
		const merged = new Map<number, Bucket>();
		for (const bucket of await this.store.read(app, tier, fromMs)) merged.set(bucket.t, bucket);
		for (const bucket of this.#pending.get(tier.name)?.get(app)?.values() ?? []) {
			if (bucket.t < fromMs) continue;
			const copy = mergeBucket(emptyBucket(bucket.t), bucket);
			const existing = merged.get(bucket.t);
			merged.set(bucket.t, existing ? mergeBucket(existing, copy) : copy);
		}
		return [...merged.values()].sort((a, b) => a.t - b.t);
	}

	/** Apps with stored or pending data. */
	async apps(): Promise<string[]> {
		const names = new Set(await this.store.apps());
		for (const apps of this.#pending.values()) for (const app of apps.keys()) names.add(app);
		return [...names].sort();
	}

	/** A line from long ago is kept only by the tiers that still cover its time. */
	#liveTiers(atMs: number): Tier[] {
		const now = this.now();
		return TIERS.filter((tier) => atMs >= now - tier.keepMs);
	}

	#bucket(tier: Tier, app: string, atMs: number): Bucket {
		const apps = getOrAdd(this.#pending, tier.name, () => new Map<string, Map<number, Bucket>>());
		const buckets = getOrAdd(apps, app, () => new Map<number, Bucket>());
		const t = bucketStart(atMs, tier);
		return getOrAdd(buckets, t, () => emptyBucket(t));
	}
}

function getOrAdd<K, V>(map: Map<K, V>, key: K, make: () => V): V {
	let value = map.get(key);
	if (value === undefined) {
		value = make();
		map.set(key, value);
	}
	return value;
}
