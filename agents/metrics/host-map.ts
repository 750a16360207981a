import { join } from "node:path";
import { RouteStore } from "../proxy/route-store.js";

/**
 * Which app a request's Host belongs to: the proxy's stored routes (the same files
 * every rendered proxy config comes from), re-read at most every `maxAgeMs`. A route
 * file that cannot be read keeps the last good map.
 */
export class HostMap {
	readonly #routes: RouteStore;
	#hosts = new Map<string, string>();
	#readAt = -Infinity;

	constructor(
		proxyDir: string,
		readonly maxAgeMs = 5_000,
	) {
		this.#routes = new RouteStore(join(proxyDir, "routes"));
	}

	async appOf(host: string, nowMs = Date.now()): Promise<string | undefined> {
		if (nowMs - this.#readAt > this.maxAgeMs) await this.refresh(nowMs);
		return this.#hosts.get(host);
	}

	async refresh(nowMs = Date.now()): Promise<void> {
		this.#readAt = nowMs;
		try {
			const hosts = new Map<string, string>();
			for (const route of await this.#routes.list()) for (const host of route.hosts) hosts.set(host.toLowerCase(), route.app);
			this.#hosts = hosts;
		} catch {
			// keep the last good map
		}
	}
}
