import { join } from "node:path";
import { DeployError, type ServerSetup } from "../../core/protocol/index.js";
import { writeJsonAtomic } from "../fs/atomic-write.js";
import type { HasBuilders, HasHome, HasLocks, HasLog, HasProxy, HasSetup, HasStore, HasSupervisor, HasTuning } from "../context/parts.js";
import type { AgentHome } from "../home.js";
import { ObjectStore } from "../objects/store.js";
import { createProxyDriver, type ProxyDriver } from "../proxy/index.js";
import { Supervisor } from "../processes/supervisor.js";
import { CpuSampler } from "../processes/usage.js";
import { type Tuning, tuningFromEnv } from "../tuning.js";
import { BuildCache } from "../cache/store.js";
import { BuildQueue } from "../build/queue.js";
import { RunningDeploys } from "../deploy/running.js";
import { DeployLocks } from "../locks/deploy-lock.js";
import { readServerSetup } from "../context/server-setup.js";
import { managedBySystemd, PROXY_UNIT } from "../system/systemd.js";
import { NodeRuntimes } from "../runtime/runtimes.js";
import { PlatformApi } from "../api/platform-api.js";
import { httpCall } from "./dispatch.js";

/**
 * Everything the daemon's handlers share: one per daemon process. The proxy's log
 * lines go to agent.log and to whichever calls are listening (setup streams them).
 * Below the daemon nothing names this class: functions take the parts they use
 * (agents/context/parts.ts), which it has, so it is handed to them as it is.
 */
export class Agent implements HasHome, HasSetup, HasProxy, HasSupervisor, HasLog, HasStore, HasLocks, HasTuning, HasBuilders {
	readonly store: ObjectStore;
	/** Issue 12: the Node.js runtimes apps build and run on. */
	readonly runtimes: NodeRuntimes;
	readonly supervisor: Supervisor;
	readonly locks: DeployLocks;
	readonly cpuSampler = new CpuSampler();
	readonly tuning: Tuning;
	readonly cache: BuildCache;
	readonly buildQueue: BuildQueue;
	/** Issue 17: the HTTPS API's listener and route (off until `api.enable`). */
	readonly platformApi: PlatformApi;
	/** Deployments in flight, so `cancel` (another connection) can stop one. */
	readonly running = new RunningDeploys();
	setup: ServerSetup | null = null;
	driver: ProxyDriver | null = null;
	private readonly proxyListeners = new Set<(line: string) => void>();
	/** Settles once the daemon has adopted its apps: calls wait for it. */
	ready: Promise<void> = Promise.resolve();
	/** Settles when the proxy's start at daemon boot is over: routes wait for it. */
	proxyReady: Promise<unknown> = Promise.resolve();
	/** Set by the daemon: closes the socket and exits. */
	shutdown: () => void = () => process.exit(0);

	constructor(
		readonly home: AgentHome,
		readonly version: string,
		readonly log: (line: string) => void,
	) {
		this.store = new ObjectStore(home.objects);
		this.tuning = tuningFromEnv();
		this.runtimes = new NodeRuntimes(home);
		this.supervisor = new Supervisor(home, log, this.tuning, (version) => this.runtimes.binDir(version));
		this.cache = new BuildCache(home, this.tuning.cacheMaxBytes);
		this.buildQueue = new BuildQueue(this.tuning.buildConcurrency);
		this.locks = new DeployLocks(home);
		this.platformApi = new PlatformApi(this, httpCall(this));
	}

	/** Reads server.json at start; a server that was never set up has none. */
	async loadSetup(): Promise<void> {
		const setup = await readServerSetup(this.home);
		if (setup) this.setup = setup;
	}

	/** Stores a new setup and (re)creates the proxy driver for it. */
	async applySetup(setup: ServerSetup): Promise<void> {
		await writeJsonAtomic(this.home.serverJson, setup);
		const changed = JSON.stringify(setup) !== JSON.stringify(this.setup);
		if (this.driver && changed) await this.driver.stop();
		this.setup = setup;
		if (!this.driver || changed) this.driver = this.createDriver(setup);
	}

	createDriver(setup: ServerSetup): ProxyDriver {
		this.driver = createProxyDriver(setup.proxy, {
			setup,
			dir: this.home.proxy,
			binDir: join(this.home.root, "bin"),
			systemd: managedBySystemd(this.home, PROXY_UNIT),
			log: (line) => {
				this.log(line);
				for (const listener of this.proxyListeners) listener(line);
			},
		});
		return this.driver;
	}

	/** Streams proxy log lines to `listener` while `fn` runs. */
	async withProxyLog<T>(listener: (line: string) => void, fn: () => Promise<T>): Promise<T> {
		this.proxyListeners.add(listener);
		try {
			return await fn();
		} finally {
			this.proxyListeners.delete(listener);
		}
	}

	requireDriver(): ProxyDriver {
		if (!this.driver) {
			throw new DeployError("NOT_SET_UP", "This server has not been set up yet (no proxy is configured).", "Run `deploy servers add` for this server first.");
		}
		return this.driver;
	}
}
