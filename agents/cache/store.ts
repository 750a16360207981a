import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { execa } from "execa";
import type { AgentHome } from "../home.js";

export type CacheKind = "deps" | "build";

interface EntryMeta {
	bytes: number;
	usedAt: number;
}

/**
 * Dependency and build caches: `<home>/cache/<app>/<kind>/<key>/` holding a tree,
 * and `meta.json` with its size and last use (the LRU clock).
 *
 * Entries are hardlink copies (`cp -al`): storing and restoring a node_modules of
 * ten thousand files takes a fraction of a second and no extra disk. The trade-off:
 * a file changed IN PLACE in a release (instead of replaced) changes the cached copy
 * and the other releases sharing it too. Package managers and bundlers write new
 * files, so this holds for installs and builds; an app should keep its own data
 * outside the release folder anyway (a redeploy replaces it).
 */
export class BuildCache {
	readonly root: string;

	constructor(
		home: AgentHome,
		readonly maxBytes: number,
	) {
		this.root = join(home.root, "cache");
	}

	#dir(app: string, kind: CacheKind, key: string): string {
		return join(this.root, app, kind, key);
	}

	/** Restores an entry's tree to `target` (which must not exist); false on a miss. */
	async restore(app: string, kind: CacheKind, key: string, target: string): Promise<boolean> {
		const dir = this.#dir(app, kind, key);
		const meta = await readMeta(dir);
		if (!meta) return false;
		const result = await execa("cp", ["-al", join(dir, "tree"), target], { reject: false });
		if (result.exitCode !== 0) {
			await rm(target, { recursive: true, force: true });
			return false;
		}
		await writeFile(join(dir, "meta.json"), JSON.stringify({ ...meta, usedAt: Date.now() })).catch(() => undefined);
		return true;
	}

	/** Stores `source` as an entry (hardlinks, renamed into place whole), then evicts down to the size limit. */
	async store(app: string, kind: CacheKind, key: string, source: string): Promise<void> {
		const dir = this.#dir(app, kind, key);
		const tmp = `${dir}.${process.pid}.${Date.now()}.tmp`;
		await mkdir(tmp, { recursive: true });
		try {
			await execa("cp", ["-al", source, join(tmp, "tree")]);
			const bytes = await diskUsage(join(tmp, "tree"));
			await writeFile(join(tmp, "meta.json"), JSON.stringify({ bytes, usedAt: Date.now() } satisfies EntryMeta));
			await rm(dir, { recursive: true, force: true });
			await rename(tmp, dir);
		} catch (error) {
			await rm(tmp, { recursive: true, force: true });
			throw error;
		}
		await this.evict();
	}

	/** Removes least recently used entries until the total is under the limit. */
	async evict(): Promise<{ entries: number; bytes: number }> {
		const entries = await this.#entries();
		let total = entries.reduce((sum, e) => sum + e.bytes, 0);
		let removed = 0;
		let freed = 0;
		for (const entry of entries.sort((a, b) => a.usedAt - b.usedAt)) {
			if (total <= this.maxBytes) break;
			await rm(entry.dir, { recursive: true, force: true });
			total -= entry.bytes;
			freed += entry.bytes;
			removed += 1;
		}
		return { entries: removed, bytes: freed };
	}

	/** Empties the caches of one app, or all; says how much went. */
	async clear(app?: string): Promise<{ entries: number; bytes: number }> {
		const entries = (await this.#entries()).filter((e) => !app || e.app === app);
		for (const entry of entries) await rm(entry.dir, { recursive: true, force: true });
		if (app) await rm(join(this.root, app), { recursive: true, force: true });
		return { entries: entries.length, bytes: entries.reduce((sum, e) => sum + e.bytes, 0) };
	}

	async #entries(): Promise<{ app: string; dir: string; bytes: number; usedAt: number }[]> {
		const found = [];
		for (const app of await list(this.root)) {
			for (const kind of ["deps", "build"]) {
				for (const key of await list(join(this.root, app, kind))) {
					const dir = join(this.root, app, kind, key);
					if (key.endsWith(".tmp")) continue;
					const meta = await readMeta(dir);
					if (meta) found.push({ app, dir, ...meta });
				}
			}
		}
		return found;
	}
}

async function list(dir: string): Promise<string[]> {
	return readdir(dir).catch(() => [] as string[]);
}

async function readMeta(dir: string): Promise<EntryMeta | null> {
	try {
		const meta = JSON.parse(await readFile(join(dir, "meta.json"), "utf8")) as EntryMeta;
		return typeof meta.bytes === "number" && typeof meta.usedAt === "number" ? meta : null;
	} catch {
		return null;
	}
}

/** Bytes the tree takes (du counts each hardlinked file once per call). */
async function diskUsage(dir: string): Promise<number> {
	const { stdout } = await execa("du", ["-sk", dir]);
	return Number(stdout.split(/\s/)[0]) * 1024;
}

