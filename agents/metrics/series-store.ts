import { appendFile, mkdir, readdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic } from "../fs/atomic-write.js";
import { type Bucket, mergeBucket, parseBucket } from "./bucket.js";
import { capacity, type Tier } from "./tiers.js";

/**
 * The metrics files: `<home>/metrics/<app>/<tier>.ndjson`, one bucket (or a piece of
 * one) per line. Appending is cheap and crash-safe (a torn last line is skipped);
 * when a file holds twice its tier's capacity in lines, it is compacted: pieces of a
 * bucket merged, expired buckets dropped, rewritten atomically. So a file never holds
 * more than 2 x capacity lines, and nothing older than the tier keeps.
 */
export class SeriesStore {
	readonly #lines = new Map<string, number>();
	readonly #made = new Set<string>();

	constructor(readonly dir: string) {}

	file(app: string, tier: Tier): string {
		return join(this.dir, app, `${tier.name}.ndjson`);
	}

	async append(app: string, tier: Tier, buckets: readonly Bucket[], nowMs: number): Promise<void> {
		if (buckets.length === 0) return;
		const path = this.file(app, tier);
		if (!this.#made.has(app)) {
			await mkdir(join(this.dir, app), { recursive: true });
			this.#made.add(app);
		}
		const before = this.#lines.get(path) ?? (await this.#countLines(path));
		await appendFile(path, buckets.map((bucket) => `${JSON.stringify(bucket)}\n`).join(""), { mode: 0o600 });
		const lines = before + buckets.length;
		this.#lines.set(path, lines);
		if (lines > 2 * capacity(tier)) await this.compact(app, tier, nowMs);
	}

	/** The tier's buckets of the app that start at or after `fromMs`, pieces merged, oldest first. */
	async read(app: string, tier: Tier, fromMs: number): Promise<Bucket[]> {
		const merged = new Map<number, Bucket>();
		for (const bucket of await this.#readAll(this.file(app, tier))) {
			if (bucket.t < fromMs) continue;
			const existing = merged.get(bucket.t);
			merged.set(bucket.t, existing ? mergeBucket(existing, bucket) : bucket);
		}
		return [...merged.values()].sort((a, b) => a.t - b.t);
	}

	async compact(app: string, tier: Tier, nowMs: number): Promise<void> {
		const path = this.file(app, tier);
		const kept = await this.read(app, tier, nowMs - tier.keepMs);
		if (kept.length === 0) {
			await rm(path, { force: true });
			this.#lines.set(path, 0);
			return;
		}
		await writeFileAtomic(path, kept.map((bucket) => `${JSON.stringify(bucket)}\n`).join(""), 0o600);
		this.#lines.set(path, kept.length);
	}

	/** Compacts every file (expiring what is past its tier) and removes apps left with nothing. */
	async expire(tiers: readonly Tier[], nowMs: number): Promise<void> {
		for (const app of await this.apps()) {
			for (const tier of tiers) await this.compact(app, tier, nowMs);
			const left = await readdir(join(this.dir, app)).catch(() => [] as string[]);
			if (left.length === 0) {
				await rm(join(this.dir, app), { recursive: true, force: true });
				this.#made.delete(app);
			}
		}
	}

	async apps(): Promise<string[]> {
		const names = await readdir(this.dir, { withFileTypes: true }).catch(() => []);
		return names.filter((entry) => entry.isDirectory()).map((entry) => entry.name);
	}

	async #readAll(path: string): Promise<Bucket[]> {
		let text: string;
		try {
			text = await readFile(path, "utf8");
		} catch {
			return [];
		}
		const buckets: Bucket[] = [];
		for (const line of text.split("\n")) {
			const bucket = line ? parseBucket(line) : null;
			if (bucket) buckets.push(bucket);
		}
		return buckets;
	}

	async #countLines(path: string): Promise<number> {
		try {
			const text = await readFile(path, "utf8");
			return text.split("\n").length - 1;
		} catch {
			return 0;
		}
	}
}
