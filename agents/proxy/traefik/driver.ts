import { mkdir, readdir, rm } from "node:fs/promises";
import { execa } from "execa";
import { DeployError } from "../../../core/protocol/index.js";
import { writeFileAtomic } from "../../fs/atomic-write.js";
import type { AppRoute, CertificateInfo, ProxyDriver, ProxyDriverOptions, ProxyHealth } from "../driver.js";
import { findOnPath, isRunningAs, readPid, spawnDetached, terminate } from "../process.js";
import { assertHostsFree, parseRoute } from "../route.js";
import { RouteStore } from "../route-store.js";
import { serialized } from "../serial.js";
import { httpUrl, sslipHost } from "../urls.js";
import { dynamicFile, renderTraefikDynamic, renderTraefikStatic, renderTraefikYaml, traefikPaths } from "./config.js";

/**
 * Traefik through its file provider: one dynamic file per app, written atomically, which
 * Traefik picks up by watching the folder. Traefik swaps a router's servers as a whole.
 */
export class TraefikProxyDriver implements ProxyDriver {
	readonly kind = "traefik" as const;
	readonly servesFiles = false;
	readonly #paths;
	readonly #store;
	readonly #serial = serialized();

	constructor(private readonly options: ProxyDriverOptions) {
		this.#paths = traefikPaths(options.dir);
		this.#store = new RouteStore(this.#paths.routes);
	}

	ensureRunning(): Promise<{ version: string | null }> {
		return this.#serial(async () => {
			const binary = await findOnPath("traefik");
			if (!binary) {
				throw new DeployError(
					"PROXY_UNAVAILABLE",
					"Traefik is not installed on this server, and the agent cannot install it.",
					"Install Traefik v3 on the server (https://doc.traefik.io/traefik/getting-started/install-traefik/), or add the server with `--proxy caddy`.",
				);
			}
			await writeFileAtomic(this.#paths.static, renderTraefikYaml(renderTraefikStatic(this.options.setup, this.options.dir)));
			await this.#restoreDynamic(await this.#store.list());
			const running = await readPid(this.#paths.pid);
			if (!running || !(await isRunningAs(running, "traefik"))) {
				const pid = await spawnDetached(binary, [`--configFile=${this.#paths.static}`], this.#paths.log, this.options.dir);
				await writeFileAtomic(this.#paths.pid, `${pid}\n`);
				this.options.log(`proxy: started traefik (pid ${pid})`);
			}
			const { stdout } = await execa(binary, ["version"]);
			return { version: /Version:\s*(\S+)/i.exec(stdout)?.[1] ?? (stdout.trim().split(/\s+/)[0] || null) };
		});
	}

	applyRoute(route: AppRoute): Promise<void> {
		return this.#serial(async () => {
			const valid = parseRoute(route);
			assertHostsFree(await this.#store.list(), valid);
			await this.#store.put(valid);
			await writeFileAtomic(dynamicFile(this.options.dir, valid.app), renderTraefikYaml(renderTraefikDynamic(valid)));
			this.options.log(`proxy: ${valid.app} -> ${valid.upstreams.map((u) => u.port).join(", ")}`);
		});
	}

	removeRoute(app: string): Promise<void> {
		return this.#serial(async () => {
			await rm(dynamicFile(this.options.dir, app), { force: true });
			await this.#store.delete(app);
		});
	}

	defaultHost(app: string): string {
		return sslipHost(app, this.options.setup.address);
	}

	defaultUrl(app: string): string {
		return httpUrl(this.defaultHost(app), this.options.setup.httpPort);
	}

	/** Issue 6: not read from the proxy yet. */
	async certificates(hosts: readonly string[]): Promise<CertificateInfo[]> {
		return hosts.map((host) => ({ host, issuer: null, notAfter: null, state: "none" }));
	}

	async health(): Promise<ProxyHealth> {
		const pid = await readPid(this.#paths.pid);
		if (pid && (await isRunningAs(pid, "traefik"))) return { running: true };
		return { running: false, message: `Traefik is not running (see ${this.#paths.log}).` };
	}

	stop(): Promise<void> {
		return this.#serial(async () => {
			const pid = await readPid(this.#paths.pid);
			if (pid && (await isRunningAs(pid, "traefik"))) await terminate(pid);
			await rm(this.#paths.pid, { force: true });
		});
	}

	/** Rewrites every app's dynamic file from the store and drops files of apps no longer stored. */
	async #restoreDynamic(routes: readonly AppRoute[]): Promise<void> {
		await mkdir(this.#paths.dynamic, { recursive: true });
		for (const route of routes) {
			await writeFileAtomic(dynamicFile(this.options.dir, route.app), renderTraefikYaml(renderTraefikDynamic(route)));
		}
		const wanted = new Set(routes.map((route) => `${route.app}.yaml`));
		for (const name of await readdir(this.#paths.dynamic)) {
			if (name.endsWith(".yaml") && !name.startsWith(".") && !wanted.has(name)) await rm(dynamicFile(this.options.dir, name.slice(0, -5)), { force: true });
		}
	}
}
