import { readdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { DeployError } from "../../core/protocol/index.js";
import { writeJsonAtomic } from "../fs/atomic-write.js";
import type { AppRoute } from "./driver.js";
import { parseRoute, sortRoutes } from "./route.js";

/**
 * Routes of the external proxies (caddy, traefik), one file per app under
 * `<dir>/routes/`: the source every rendered proxy config is computed from.
 */
export class RouteStore {
	constructor(readonly folder: string) {}

	async list(): Promise<AppRoute[]> {
		let names: string[];
		try {
			names = await readdir(this.folder);
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
			throw error;
		}
		const files = names.filter((name) => name.endsWith(".json") && !name.startsWith("."));
		return sortRoutes(await Promise.all(files.map((name) => this.#read(join(this.folder, name)))));
	}

	async get(app: string): Promise<AppRoute | undefined> {
		return (await this.list()).find((route) => route.app === app);
	}

	async put(route: AppRoute): Promise<void> {
		await writeJsonAtomic(this.#path(route.app), route);
	}

	async delete(app: string): Promise<void> {
		await rm(this.#path(app), { force: true });
	}

	#path(app: string): string {
		return join(this.folder, `${app}.json`);
	}

	async #read(path: string): Promise<AppRoute> {
		try {
			return parseRoute(JSON.parse(await readFile(path, "utf8")), `route file ${path}`);
		} catch (error) {
			// Fail loudly: rendering a config without this app would take it offline silently.
			if (error instanceof DeployError) throw error;
			throw new DeployError("PROXY_STATE_CORRUPT", `The route file ${path} cannot be read.`, "Fix or delete the file, then redeploy the app.", [
				String(error),
			]);
		}
	}
}
