import { mkdir, readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { execa } from "execa";
import { DeployError } from "../../../core/protocol/index.js";
import { writeFileAtomic } from "../../fs/atomic-write.js";
import { writeAcmeCaRoot } from "../acme-ca-root.js";
import type { AppRoute, ProxyDriver, ProxyDriverOptions, ProxyHealth } from "../driver.js";
import { findProxyBinary } from "../binary.js";
import { proxyEnv, traefikLaunch } from "../launch.js";
import { ProxyProcess } from "../proxy-process.js";
import { assertHostsFree, parseRoute } from "../route.js";
import { RouteStore } from "../route-store.js";
import { serialized } from "../serial.js";
import type { HeldCertificate } from "../certificate-state.js";
import { tlsEnabled, tlsHostsOfRoutes } from "../tls.js";
import { ExternalProxyDriver } from "../external-driver.js";
import { CertifiedHosts, unexpired } from "../certified-hosts.js";
import { failuresFromLog, heldCertificates } from "./certificates.js";
import {
	dynamicFile,
	renderTraefikDynamic,
	renderTraefikStatic,
	renderTraefikTlsOptions,
	renderTraefikDynamicYaml,
	renderTraefikYaml,
	tlsOptionsFile,
	traefikPaths,
} from "./config.js";

/**
 * Traefik through its file provider: one dynamic file per app, written atomically, which
 * Traefik picks up by watching the folder. Traefik swaps a router's servers as a whole.
 */
export class TraefikProxyDriver extends ExternalProxyDriver implements ProxyDriver {
	readonly kind = "traefik" as const;
	readonly servesFiles = false;
	readonly #paths;
	readonly #store;
	readonly #serial = serialized();
	/** Issue 14: which TLS hosts HTTP redirects (those with a certificate in acme.json), rendered again when one arrives. */
	readonly #certified: CertifiedHosts;

	constructor(options: ProxyDriverOptions) {
		super(options);
		this.#paths = traefikPaths(options.dir);
		this.#store = new RouteStore(this.#paths.routes);
		this.#certified = new CertifiedHosts(async (hosts) => unexpired(await heldCertificates(this.#paths.acme, hosts)), () => this.syncCertified());
	}

	ensureRunning(): Promise<{ version: string | null }> {
		return this.#serial(async () => {
			const binary = await findProxyBinary("traefik", this.options.binDir);
			if (!binary) {
				throw new DeployError(
					"PROXY_UNAVAILABLE",
					"Traefik is not installed on this server.",
					"`deploy servers upgrade <server>` installs it (the release tarball, checksum-verified); or add the server with `--proxy caddy`.",
				);
			}
			this.#binary = binary;
			await writeAcmeCaRoot(this.#paths.acmeCaRoot, this.options.setup);
			await writeFileAtomic(this.#paths.static, renderTraefikYaml(renderTraefikStatic(this.options.setup, this.options.dir)));
			await this.#restoreDynamic(await this.#store.list());
			const proxy = this.#process(binary);
			if ((await proxy.running()) === null) {
				const pid = await proxy.start(proxyEnv("traefik", this.options.dir, this.options.setup));
				this.options.log(`proxy: started traefik (${this.options.systemd ? "systemd unit, " : ""}pid ${pid ?? "unknown"})`);
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
			await this.#writeTlsOptions();
			// A certificate that arrived for another app since the last render changes that app's file too.
			const routes = await this.#store.list();
			const tlsHosts = tlsHostsOfRoutes(this.options.setup, routes);
			if (await this.#certified.changed(tlsHosts)) await this.#restoreDynamic(routes);
			else await writeFileAtomic(dynamicFile(this.options.dir, valid.app), renderTraefikDynamicYaml(renderTraefikDynamic(valid, this.options.setup, await this.#certified.forRender(tlsHosts))));
			this.options.log(`proxy: ${valid.app} -> ${valid.upstreams.map((u) => u.port).join(", ")}`);
		});
	}

	removeRoute(app: string): Promise<void> {
		return this.#serial(async () => {
			await rm(dynamicFile(this.options.dir, app), { force: true });
			await this.#store.delete(app);
		});
	}

	protected storedRoutes(): Promise<AppRoute[]> {
		return this.#store.list();
	}

	protected heldCertificates(hosts: readonly string[]): Promise<Map<string, HeldCertificate>> {
		return heldCertificates(this.#paths.acme, hosts);
	}

	protected certificateFailures(hosts: readonly string[], since: Date | undefined): Promise<Map<string, string>> {
		return failuresFromLog(this.#paths.log, hosts, since);
	}

	async health(): Promise<ProxyHealth> {
		if ((await this.#process(this.#binary ?? "traefik").running()) !== null) return { running: true };
		return { running: false, message: `Traefik is not running (see ${this.#paths.log}).` };
	}

	stop(): Promise<void> {
		this.#certified.stop();
		return this.#serial(async () => {
			await this.#process(this.#binary ?? "traefik").stop();
			await rm(this.#paths.pid, { force: true });
		});
	}

	/** The binary found by the last ensureRunning. */
	#binary: string | undefined;

	#process(binary: string): ProxyProcess {
		return new ProxyProcess(traefikLaunch(binary, this.options.dir), this.options.systemd === true);
	}

	/** Writes every app's file again when a certificate arrived (or expired) since the last render; Traefik reloads them by itself. */
	protected syncCertified(): Promise<void> {
		return this.#serial(async () => {
			const routes = await this.#store.list();
			if (await this.#certified.changed(tlsHostsOfRoutes(this.options.setup, routes))) await this.#restoreDynamic(routes);
		});
	}

	/** The shared TLS options (TLS 1.2 at least), present whenever the server serves TLS. */
	async #writeTlsOptions(): Promise<void> {
		const file = join(this.#paths.dynamic, tlsOptionsFile);
		if (tlsEnabled(this.options.setup)) await writeFileAtomic(file, renderTraefikDynamicYaml(renderTraefikTlsOptions()));
		else await rm(file, { force: true });
	}

	/** Rewrites every app's dynamic file from the store and drops files of apps no longer stored. */
	async #restoreDynamic(routes: readonly AppRoute[]): Promise<void> {
		await mkdir(this.#paths.dynamic, { recursive: true });
		await this.#writeTlsOptions();
		const certified = await this.#certified.forRender(tlsHostsOfRoutes(this.options.setup, routes));
		for (const route of routes) {
			await writeFileAtomic(dynamicFile(this.options.dir, route.app), renderTraefikDynamicYaml(renderTraefikDynamic(route, this.options.setup, certified)));
		}
		const wanted = new Set([...routes.map((route) => `${route.app}.yaml`), tlsOptionsFile]);
		for (const name of await readdir(this.#paths.dynamic)) {
			if (name.endsWith(".yaml") && !name.startsWith(".") && !wanted.has(name)) await rm(dynamicFile(this.options.dir, name.slice(0, -5)), { force: true });
		}
	}
}
