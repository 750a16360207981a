import { chmod, mkdir, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { DeployError } from "../../core/protocol/index.js";
import { answers } from "../bridge/socket.js";
import type { AgentHome } from "../home.js";
import { writeFileAtomic } from "../fs/atomic-write.js";
import { agentLog } from "../log.js";
import { selfVersion } from "../version.js";
import { Agent } from "./agent.js";
import { markInterrupted } from "./interrupted.js";
import type { HasLocks } from "../context/parts.js";
import type { GoLiveContext } from "../deploy/go-live.js";
import { recoverAtBoot } from "../deploy/recover.js";
import { startPreviewSweeper } from "../previews/sweeper.js";
import { serveConnection } from "./rpc-server.js";
import { startAutoscaler } from "../autoscale/loop.js";
import { probeEnforcement } from "../limits/probe.js";
import { startIsolation } from "../isolation/prepare.js";
import { handToOwner } from "../system/home-access.js";
import { readSystemRecord } from "../system/record.js";

/** The daemon's exit code when another daemon already serves its home. */
const ANOTHER_DAEMON_SERVES = 75;

/**
 * The long-lived agent: adopts the apps that kept running, starts the proxy, and
 * serves the RPC on agent.sock (0600: only this user may talk to it).
 */
export async function runDaemon(home: AgentHome): Promise<void> {
	await mkdir(home.root, { recursive: true, mode: 0o700 });
	// A daemon that is not root has no sudo login or app users to let through its home: it
	// is its own alone, also one an SSH login's umask made 0755 before issue 13. Root's
	// home is the system install's and isolation's to open (agents/system/home-access.ts).
	if (process.getuid?.() !== 0) await chmod(home.root, 0o700);
	// Detached already; this only makes sure a stray hangup never stops the daemon.
	process.on("SIGHUP", () => undefined);
	// A stray rejection in background work (a drain, a restart) must not take the daemon down.
	process.on("unhandledRejection", (reason) => agentLog(`unhandled rejection: ${(reason as Error)?.stack ?? String(reason)}`));
	if (Buffer.byteLength(home.socket) > 100) {
		throw new DeployError("AGENT_HOME_TOO_LONG", `The socket path ${home.socket} is too long for a unix socket.`, "Use a shorter DEPLOY_AGENT_HOME.");
	}
	if (await answers(home.socket)) {
		agentLog("another daemon already serves this home; exiting");
		// 75: deploy-agent.service does not restart a daemon that stepped aside (RestartPreventExitStatus).
		process.exitCode = ANOTHER_DAEMON_SERVES;
		return;
	}
	const agent = new Agent(home, selfVersion(), agentLog);
	let markReady: () => void = () => undefined;
	agent.ready = new Promise<void>((resolve) => {
		markReady = resolve;
	});
	// Claim the socket before touching any app: of two daemons started at once, one steps aside untouched.
	const server = await listen(home.socket, agent);
	if (!server) {
		agentLog("another daemon started at the same time and serves this home; exiting");
		process.exitCode = ANOTHER_DAEMON_SERVES;
		return;
	}
	agentLog(`daemon ${agent.version.slice(0, 12)} starting (pid ${process.pid}, node ${process.version})`);
	await writeFile(home.pidFile, `${process.pid}\n`);
	// What the SSH client's first, shell-only check reads: a daemon of its very version
	// listens here, so it opens the socket directly and starts no bridge process.
	const versionFile = servingVersionFile(home);
	await writeFileAtomic(versionFile, `${agent.version}\n`, 0o600);
	// Issue 12: a sudo login that added the server reaches the agent without sudo.
	const owner = (await readSystemRecord(home).catch(() => null))?.ownerUid ?? 0;
	await handToOwner([home.socket, versionFile], owner).catch((error) => agentLog(`cannot give the socket to uid ${owner}: ${(error as Error).message}`));
	agent.shutdown = () => {
		agentLog("daemon stopping (apps keep running)");
		agent.supervisor.stopWatching();
		server.close();
		rmSync(versionFile, { force: true });
		rmSync(home.socket, { force: true });
		rmSync(home.pidFile, { force: true });
		process.exit(0);
	};
	process.on("SIGTERM", () => agent.shutdown());
	process.on("SIGINT", () => agent.shutdown());
	await markInterrupted(home).catch((error) => agentLog(`cannot mark interrupted deployments: ${(error as Error).message}`));
	await agent.loadSetup().catch((error) => agentLog((error as Error).message));
	// Issue 7: how instance limits are enforced here, decided before any instance (re)starts.
	agentLog(`limits: ${(await probeEnforcement()).reason}`);
	// Issue 13: each app's own user, made sure of before any instance (re)starts.
	await startIsolation(home, agentLog);
	await agent.supervisor.adoptAll().catch((error) => agentLog(`cannot adopt apps: ${(error as Error).message}`));
	if (agent.setup) {
		let started: Promise<unknown>;
		try {
			started = agent.createDriver(agent.setup).ensureRunning();
		} catch (error) {
			started = Promise.reject(error);
		}
		agent.proxyReady = started
			.then(
				() => recoverAtBoot(duringBoot(agent, started)),
				(error) => {
					agentLog(`proxy did not start: ${(error as Error).message}`);
					// No route to switch: what was gone starts again where it was.
					agent.supervisor.relaunchGoneAtStart();
				},
			)
			.catch((error) => agentLog(`boot recovery failed: ${(error as Error).message}`));
	} else {
		agent.supervisor.relaunchGoneAtStart();
	}
	// Commands wait until the gone instances are replaced, the routes reconciled and the
	// strays picked (issue 13): a deploy that started instances during the reconcile saw
	// them drained as strays, and went "live" on stopped instances.
	void agent.proxyReady.then(markReady, markReady);
	// Issue 17: the HTTPS API, when it was enabled, once the proxy can route to it again.
	if (agent.setup) void agent.proxyReady.then(() => agent.platformApi.resume()).catch((error) => agentLog(`api: not served: ${(error as Error).message}`));
	// Issue 6: expired previews go by themselves, also those that expired while the agent was down.
	startPreviewSweeper(agent);
	// Issue 7: metrics (access log, CPU/memory samples) and alerts, every 10 s.
	void import("../metrics/collector.js").then(({ metricsCollector }) => metricsCollector(agent));
	startAutoscaler(agent);
	agentLog(`listening on ${home.socket}`);
}

/**
 * The agent as boot recovery sees it: the same parts, but its go-live waits for the
 * proxy's start only. Every other route change waits for agent.proxyReady, which
 * includes the recovery: the recovery's own would wait for itself.
 */
function duringBoot(agent: Agent, proxyStarted: Promise<unknown>): GoLiveContext & HasLocks {
	const { home, setup, supervisor, locks, log } = agent;
	return { home, setup, supervisor, locks, log, proxyReady: proxyStarted, driver: agent.driver, requireDriver: () => agent.requireDriver() };
}

/** agent.version: the sha256 of the daemon that listens on agent.sock (providers/ssh/remote-scripts.ts reads it). */
export function servingVersionFile(home: AgentHome): string {
	return join(home.root, "agent.version");
}

/**
 * Binds agent.sock without deleting it first: when two daemons start at once, the
 * second finds the first one listening and steps aside (null). Only a socket file
 * nobody answers on (left by a killed daemon) is replaced.
 */
async function listen(path: string, agent: Agent): Promise<Server | null> {
	const server = createServer((socket) => serveConnection(socket, agent));
	const bind = async () => {
		// The socket file is created with the umask: make it private from its first moment.
		const umask = process.umask(0o077);
		try {
			await new Promise<void>((resolve, reject) => {
				server.once("error", reject);
				server.listen(path, () => {
					server.off("error", reject);
					resolve();
				});
			});
		} finally {
			process.umask(umask);
		}
	};
	try {
		await bind();
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== "EADDRINUSE" || (await answers(path))) return null;
		await rm(path, { force: true });
		await bind();
	}
	await chmod(path, 0o600);
	server.on("error", (error) => agentLog(`socket error: ${error.message}`));
	return server;
}
