import { stat } from "node:fs/promises";
import { join } from "node:path";
import { RouteStore } from "../proxy/route-store.js";
import { API_ROUTE } from "../proxy/route.js";

/**
 * Which app a request's Host belongs to: the proxy's stored routes (the same files
 * every rendered proxy config comes from), re-read at most every `maxAgeMs`, and at
 * once for a host it does not know when the routes folder changed since (a route
 * written after a deploy): the first requests to a new app count for it. A route
 * file that cannot be read keeps the last good map.
 */
export class HostMap {
	readonly #routes: RouteStore;
	#hosts = new Map<string, string>();
	#readAt = -Infinity;
	/** The routes folder's mtime at the last read: a route written (renamed in) changes it. */
	#folderMtime: number | null = null;

	constructor(
		proxyDir: string,
		readonly maxAgeMs = 5_000,
	) {
		this.#routes = new RouteStore(join(proxyDir, "routes"));
	}

	async appOf(host: string, nowMs = Date.now()): Promise<string | undefined> {
		if (nowMs - this.#readAt > this.maxAgeMs || (!this.#hosts.has(host) && (await this.#folderChanged()))) await this.refresh(nowMs);
		return this.#hosts.get(host);
	}

	async refresh(nowMs = Date.now()): Promise<void> {
		this.#readAt = nowMs;
		this.#folderMtime = await this.#mtime();
		try {
			const hosts = new Map<string, string>();
			// The HTTPS API's route (issue 17) is not an app: its requests are no app's metrics.
			for (const route of await this.#routes.list()) if (route.app !== API_ROUTE) for (const host of route.hosts) hosts.set(host.toLowerCase(), route.app);
			this.#hosts = hosts;
		} catch {
			// keep the last good map
		}
	}

	async #folderChanged(): Promise<boolean> {
		return (await this.#mtime()) !== this.#folderMtime;
	}

	#mtime(): Promise<number | null> {
		return stat(this.#routes.folder).then(
			(info) => info.mtimeMs,
			() => null,
		);
	}
}
