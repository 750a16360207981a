import { existsSync } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { execa } from "execa";
import { DeployError } from "../../../core/protocol/index.js";
import { writeJsonAtomic } from "../../fs/atomic-write.js";
import { writeAcmeCaRoot } from "../acme-ca-root.js";
import type { AppRoute, ProxyDriver, ProxyDriverOptions, ProxyHealth } from "../driver.js";
import { findProxyBinary } from "../binary.js";
import { caddyLaunch, proxyEnv } from "../launch.js";
import { logTail, waitFor } from "../process.js";
import { ProxyProcess } from "../proxy-process.js";
import { parseRoute, withoutRoute, withRoute } from "../route.js";
import { RouteStore } from "../route-store.js";
import { serialized } from "../serial.js";
import type { HeldCertificate } from "../certificate-state.js";
import { tlsHostsOfRoutes } from "../tls.js";
import { ExternalProxyDriver } from "../external-driver.js";
import { adminAnswers, adminRequest, loadConfig } from "./admin.js";
import { CertifiedHosts } from "../certified-hosts.js";
import { certifiedHosts, failuresFromLog, heldCertificates } from "./certificates.js";
import { caddyPaths, renderCaddyConfig } from "./config.js";
import { configShape } from "./config-shape.js";
import { UNIT_DIR, UPSTREAM_DNS_UNIT } from "../../system/systemd.js";
import { upstreamDnsPaths, upstreamRefreshMarginMs, upstreamRefreshMs } from "./upstream-dns/names.js";
import { UpstreamResolver } from "./upstream-dns/process.js";
import { readUpstreamTable, type UpstreamTable, writeUpstreamTable } from "./upstream-dns/table.js";

// Linux limits a unix socket path to 107 bytes; past that Caddy's admin cannot listen.
const maxSocketPath = 107;

/**
 * Caddy, driven live through its admin API. The config is always rendered whole from
 * the stored routes, so Caddy's state is never patched piecemeal and a restart
 * (caddy.json) serves exactly what the API last loaded. Which instances serve an app is
 * not in the config Caddy runs but in the resolver's answer (./upstream-dns/): a change
 * of instances alone (going live, a rollback, a scale) loads nothing, so Caddy's server
 * never restarts for it and no idle keep-alive connection is closed under a request
 * (issue 13, item 4); hosts, TLS and rules still load a new config.
 */
export class CaddyProxyDriver extends ExternalProxyDriver implements ProxyDriver {
	readonly kind = "caddy" as const;
	readonly servesFiles = true;
	readonly #paths;
	readonly #store;
	readonly #serial = serialized();
	readonly #resolver;
	/** The config Caddy runs with its upstreams left out: what a new one must differ from to need a load. */
	#loadedShape: string | undefined;
	/** Issue 14: which TLS hosts HTTP redirects (those with a certificate), rendered again when one arrives. */
	readonly #certified: CertifiedHosts;

	constructor(options: ProxyDriverOptions) {
		super(options);
		this.#paths = caddyPaths(options.dir);
		this.#store = new RouteStore(this.#paths.routes);
		const resolverUnit = options.systemd === true && existsSync(join(UNIT_DIR, UPSTREAM_DNS_UNIT));
		this.#resolver = new UpstreamResolver(options.dir, resolverUnit);
		this.#certified = new CertifiedHosts((hosts) => certifiedHosts(this.#paths.data, hosts), () => this.syncCertified());
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
				// Caddy kept the old config; the store and the resolver must say the same.
				await (previous ? this.#store.put(previous) : this.#store.delete(valid.app));
				await writeUpstreamTable(upstreamDnsPaths(this.options.dir).table, upstreamTable(routes)).catch(() => undefined);
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

	protected storedRoutes(): Promise<AppRoute[]> {
		return this.#store.list();
	}

	protected heldCertificates(hosts: readonly string[]): Promise<Map<string, HeldCertificate>> {
		return heldCertificates(this.#paths.data, hosts);
	}

	protected certificateFailures(hosts: readonly string[], since: Date | undefined): Promise<Map<string, string>> {
		return failuresFromLog(this.#paths.log, hosts, since);
	}

	async health(): Promise<ProxyHealth> {
		// Answering on the admin socket is the one sign that Caddy serves what it was given.
		if (await adminAnswers(this.#paths.adminSocket)) return { running: true };
		return { running: false, message: `Caddy does not answer on its admin socket (see ${this.#paths.log}).` };
	}

	stop(): Promise<void> {
		this.#certified.stop();
		return this.#serial(async () => {
			const proxy = this.#process(this.#binary ?? "caddy");
			// Caddy's own graceful stop where the agent started it; systemd stops its unit itself.
			if (!this.options.systemd && (await adminAnswers(this.#paths.adminSocket))) {
				await adminRequest(this.#paths.adminSocket, "POST", "/stop").catch(() => undefined);
				await proxy.waitGone(10_000);
			}
			await proxy.stop();
			await rm(this.#paths.pid, { force: true });
			await this.#resolver.stop();
			this.#loadedShape = undefined;
		});
	}

	/** The binary found by the last ensureRunning: stop() needs no lookup. */
	#binary: string | undefined;

	#process(binary: string): ProxyProcess {
		return new ProxyProcess(caddyLaunch(binary, this.options.dir), this.options.systemd === true);
	}

	/**
	 * Publishes a route set: the instances to the resolver, then the whole config, kept for
	 * restarts with the instances of now (so a Caddy started while the resolver is down
	 * serves them), and loaded into Caddy only when more than instances changed (starting
	 * Caddy if it is down). Resolves once no new request can reach an instance taken out.
	 */
	async #publish(routes: readonly AppRoute[], binary?: string): Promise<void> {
		const port = await this.#resolver.ensureRunning();
		const tableFile = upstreamDnsPaths(this.options.dir).table;
		const before = await readUpstreamTable(tableFile);
		const table = upstreamTable(routes);
		await writeUpstreamTable(tableFile, table);
		const switchedAt = Date.now();
		const certified = await this.#certified.forRender(tlsHostsOfRoutes(this.options.setup, routes));
		const config = renderCaddyConfig(this.options.setup, this.options.dir, routes, port, certified);
		const shape = configShape(config);
		await writeAcmeCaRoot(this.#paths.acmeCaRoot, this.options.setup);
		await writeJsonAtomic(this.#paths.config, config);
		if (!(await adminAnswers(this.#paths.adminSocket))) {
			await this.#start(binary ?? (await findProxyBinary("caddy", this.options.binDir)) ?? "caddy");
		} else if (shape !== (this.#loadedShape ?? (await this.#runningShape()))) {
			await loadConfig(this.#paths.adminSocket, config);
		}
		this.#loadedShape = shape;
		// Caddy keeps an answer for upstreamRefreshMs, across config loads too: an app whose
		// instances changed is switched once every answer it may hold has gone stale.
		if (Object.keys(before).some((app) => app in table && JSON.stringify(before[app]) !== JSON.stringify(table[app]))) {
			await sleep(Math.max(0, switchedAt + upstreamRefreshMs + upstreamRefreshMarginMs - Date.now()));
		}
	}

	/**
	 * The shape of the config Caddy runs, asked once after the agent starts: an agent
	 * restart (an upgrade, a crash) then loads nothing when only instances changed.
	 */
	async #runningShape(): Promise<string | undefined> {
		const running = await adminRequest(this.#paths.adminSocket, "GET", "/config/").catch(() => undefined);
		if (running?.status !== 200) return undefined;
		try {
			return configShape(JSON.parse(running.body));
		} catch {
			return undefined;
		}
	}

	/** Renders again when a certificate arrived (or expired) since the last render; never starts a stopped Caddy. */
	protected syncCertified(): Promise<void> {
		return this.#serial(async () => {
			const routes = await this.#store.list();
			if (!(await this.#certified.changed(tlsHostsOfRoutes(this.options.setup, routes)))) return;
			if (await adminAnswers(this.#paths.adminSocket)) await this.#publish(routes);
		});
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

/** What the resolver serves for a route set: each proxied app's instances (a static site has none). */
function upstreamTable(routes: readonly AppRoute[]): UpstreamTable {
	return Object.fromEntries(routes.filter((route) => !route.static).map((route) => [route.app, route.upstreams.map(({ host, port }) => ({ host, port }))]));
}
