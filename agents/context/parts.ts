import type { ServerSetup } from "../../core/protocol/index.js";
import type { BuildQueue } from "../build/queue.js";
import type { BuildCache } from "../cache/store.js";
import type { AgentHome } from "../home.js";
import type { DeployLocks } from "../locks/deploy-lock.js";
import type { ObjectStore } from "../objects/store.js";
import type { Supervisor } from "../processes/supervisor.js";
import type { ProxyDriver } from "../proxy/driver.js";
import type { NodeRuntimes } from "../runtime/runtimes.js";
import type { Tuning } from "../tuning.js";

// The parts of the daemon a function below it may be handed (issue 15, item 3). The
// daemon's Agent (agents/daemon/agent.ts) has them all and is passed as is; each
// function names only the parts it uses (`HasHome & HasSupervisor`), so a reader sees
// what it touches and nothing below the daemon imports the daemon. Types only: these
// cost nothing at run time and make no import arrow.

/** Where the agent's files are. */
export interface HasHome {
	readonly home: AgentHome;
}

/** server.json as the daemon runs with it: null on a server that was never set up. */
export interface HasSetup {
	readonly setup: ServerSetup | null;
}

/** The proxy: its driver once the server is set up, and its start at daemon boot, which route changes wait for. */
export interface HasProxy {
	readonly driver: ProxyDriver | null;
	/** The driver, or NOT_SET_UP with a hint for a server without one. */
	requireDriver(): ProxyDriver;
	readonly proxyReady: Promise<unknown>;
}

/** The apps' instances: what runs, what is live. */
export interface HasSupervisor {
	readonly supervisor: Supervisor;
}

/** The agent's log (agent.log). */
export interface HasLog {
	readonly log: (line: string) => void;
}

/** The content-addressed object store. */
export interface HasStore {
	readonly store: ObjectStore;
}

/** The per-app deploy lock. */
export interface HasLocks {
	readonly locks: DeployLocks;
}

/** The limits and intervals read from the environment at start. */
export interface HasTuning {
	readonly tuning: Tuning;
}

/** What a build runs with: the Node.js runtimes, the build slots and the caches. */
export interface HasBuilders {
	readonly runtimes: NodeRuntimes;
	readonly buildQueue: BuildQueue;
	readonly cache: BuildCache;
}
