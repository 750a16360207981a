import { mkdir, rm } from "node:fs/promises";
import { execa } from "execa";
import { DeployError } from "../../../core/protocol/index.js";
import { writeJsonAtomic } from "../../fs/atomic-write.js";
import { writeAcmeCaRoot } from "../acme-ca-root.js";
import type { AppRoute, CertificateInfo, ProxyDriver, ProxyDriverOptions, ProxyHealth } from "../driver.js";
import { findProxyBinary } from "../binary.js";
import { caddyLaunch, proxyEnv } from "../launch.js";
import { logTail, waitFor } from "../process.js";
import { ProxyProcess } from "../proxy-process.js";
import { parseRoute, withoutRoute, withRoute } from "../route.js";
import { RouteStore } from "../route-store.js";
import { serialized } from "../serial.js";
import { certificateState } from "../certificate-state.js";
import { renderedTlsHosts, urlOf } from "../tls.js";
import { sslipHost } from "../urls.js";
import { adminAnswers, adminRequest, loadConfig } from "./admin.js";
import { failuresFromLog, heldCertificates } from "./certificates.js";
import { caddyPaths, renderCaddyConfig } from "./config.js";

// Linux limits a unix socket path to 107 bytes; past that Caddy's admin cannot listen.
const maxSocketPath = 107;

/**
 * Caddy, driven live through its admin API. The config is always rendered whole from
 * the stored routes, so Caddy's state is never patched piecemeal and a restart
 * (caddy.json) serves exactly what the API last loaded.
 */
export class CaddyProxyDriver implements ProxyDriver {
	readonly kind = "caddy" as const;
	readonly servesFiles = true;
	readonly #paths;
	readonly #store;
	readonly #serial = serialized();

	constructor(private readonly options: ProxyDriverOptions) {
		this.#paths = caddyPaths(options.dir);
		this.#store = new RouteStore(this.#paths.routes);
	}

	ensureRunning(): Promise<{ version: string | null }> {
		return this.#serial(async () => {
			const binary = await findProxyBinary("caddy", this.options.binDir);
			if (!binary) {
				throw new DeployError(
					"PROXY_UNAVAILABLE",
					"Caddy is not installed on this server.",
					"`deploy servers upgrade <server>` installs it (the distribution's package, or the release binary); or add the server with another --proxy.",
				);
			}
			if (this.#paths.adminSocket.length > maxSocketPath) {
				throw new DeployError(
					"PROXY_UNAVAILABLE",
					`The agent's folder path is too long for Caddy's admin socket (${this.#paths.adminSocket}).`,
					"Use a shorter DEPLOY_AGENT_HOME.",
				);
			}
			const { stdout } = await execa(binary, ["version"]);
			await this.#publish(await this.#store.list(), binary);
			return { version: stdout.trim().split(/\s+/)[0] || null };
		});
	}

	applyRoute(route: AppRoute): Promise<void> {
		return this.#serial(async () => {
			const valid = parseRoute(route);
			const routes = await this.#store.list();
			const next = withRoute(routes, valid);
			const previous = routes.find((r) => r.app === valid.app);
			await this.#store.put(valid);
			try {
				await this.#publish(next);
			} catch (error) {
				// Caddy kept the old config; the store must say the same.
				await (previous ? this.#store.put(previous) : this.#store.delete(valid.app));
				throw error;
			}
			this.options.log(`proxy: ${valid.app} -> ${valid.upstreams.map((u) => u.port).join(", ")}`);
		});
	}

	removeRoute(app: string): Promise<void> {
		return this.#serial(async () => {
			const routes = await this.#store.list();
			if (!routes.some((r) => r.app === app)) return;
			await this.#store.delete(app);
			await this.#publish(withoutRoute(routes, app));
		});
	}

	defaultHost(app: string): string {
		return sslipHost(app, this.options.setup.address);
	}

	defaultUrl(app: string): string {
		return urlOf(this.options.setup, this.defaultHost(app));
	}

	/** What Caddy's storage holds for each host, and for TLS hosts without one, whether Caddy logged a failure. */
	async certificates(hosts: readonly string[]): Promise<CertificateInfo[]> {
		const tlsHosts = new Set((await this.#store.list()).flatMap((route) => renderedTlsHosts(this.options.setup, route)));
		const held = await heldCertificates(this.#paths.data, hosts);
		const failures = await failuresFromLog(this.#paths.log, hosts);
		return hosts.map((host) => certificateState(host, tlsHosts.has(host), held.get(host), failures.get(host)));
	}

	async health(): Promise<ProxyHealth> {
		// Answering on the admin socket is the one sign that Caddy serves what it was given.
		if (await adminAnswers(this.#paths.adminSocket)) return { running: true };
		return { running: false, message: `Caddy does not answer on its admin socket (see ${this.#paths.log}).` };
	}

	stop(): Promise<void> {
		return this.#serial(async () => {
			const proxy = this.#process(this.#binary ?? "caddy");
			// Caddy's own graceful stop where the agent started it; systemd stops its unit itself.
			if (!this.options.systemd && (await adminAnswers(this.#paths.adminSocket))) {
				await adminRequest(this.#paths.adminSocket, "POST", "/stop").catch(() => undefined);
				await proxy.waitGone(10_000);
			}
			await proxy.stop();
			await rm(this.#paths.pid, { force: true });
		});
	}

	/** The binary found by the last ensureRunning: stop() needs no lookup. */
	#binary: string | undefined;

	#process(binary: string): ProxyProcess {
		return new ProxyProcess(caddyLaunch(binary, this.options.dir), this.options.systemd === true);
	}

	/** Renders the whole config, keeps it for restarts, and loads it into Caddy (starting Caddy if it is down). */
	async #publish(routes: readonly AppRoute[], binary?: string): Promise<void> {
		const config = renderCaddyConfig(this.options.setup, this.options.dir, routes);
		await writeAcmeCaRoot(this.#paths.acmeCaRoot, this.options.setup);
		await writeJsonAtomic(this.#paths.config, config);
		if (await adminAnswers(this.#paths.adminSocket)) return loadConfig(this.#paths.adminSocket, config);
		await this.#start(binary ?? (await findProxyBinary("caddy", this.options.binDir)) ?? "caddy");
	}

	async #start(binary: string): Promise<void> {
		const paths = this.#paths;
		this.#binary = binary;
		await mkdir(paths.data, { recursive: true });
		// Nothing answers on the socket, so a leftover file is stale and would block the listen.
		await rm(paths.adminSocket, { force: true });
		const proxy = this.#process(binary);
		const pid = await proxy.start(proxyEnv("caddy", this.options.dir, this.options.setup));
		this.options.log(`proxy: started caddy (${this.options.systemd ? "systemd unit, " : ""}pid ${pid ?? "unknown"})`);
		const up = await waitFor(async () => (await adminAnswers(paths.adminSocket)) || (await proxy.running()) === null, 20_000, 100);
		if (up && (await adminAnswers(paths.adminSocket))) return;
		await proxy.stop();
		throw new DeployError(
			"PROXY_UNAVAILABLE",
			`Caddy did not start (see ${paths.log}).`,
			`Its last log lines are shown with this error; a common cause is port ${this.options.setup.httpPort} already in use.`,
			await logTail(paths.log),
		);
	}
}
