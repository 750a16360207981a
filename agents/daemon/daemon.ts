import { chmod, mkdir, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { rmSync } from "node:fs";
import { DeployError } from "../../core/protocol/index.js";
import { answers } from "../bridge/socket.js";
import type { AgentHome } from "../home.js";
import { agentLog } from "../log.js";
import { selfVersion } from "../version.js";
import { Agent } from "./agent.js";
import { markInterrupted } from "./interrupted.js";
import { reconcileRoutes } from "./reconcile.js";
import { serveConnection } from "./rpc-server.js";

/**
 * The long-lived agent: adopts the apps that kept running, starts the proxy, and
 * serves the RPC on agent.sock (0600: only this user may talk to it).
 */
export async function runDaemon(home: AgentHome): Promise<void> {
	await mkdir(home.root, { recursive: true, mode: 0o700 });
	// Detached already; this only makes sure a stray hangup never stops the daemon.
	process.on("SIGHUP", () => undefined);
	// A stray rejection in background work (a drain, a restart) must not take the daemon down.
	process.on("unhandledRejection", (reason) => agentLog(`unhandled rejection: ${(reason as Error)?.stack ?? String(reason)}`));
	if (Buffer.byteLength(home.socket) > 100) {
		throw new DeployError("AGENT_HOME_TOO_LONG", `The socket path ${home.socket} is too long for a unix socket.`, "Use a shorter DEPLOY_AGENT_HOME.");
	}
	if (await answers(home.socket)) {
		agentLog("another daemon already serves this home; exiting");
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
		return;
	}
	agentLog(`daemon ${agent.version.slice(0, 12)} starting (pid ${process.pid}, node ${process.version})`);
	await writeFile(home.pidFile, `${process.pid}\n`);
	agent.shutdown = () => {
		agentLog("daemon stopping (apps keep running)");
		agent.supervisor.stopWatching();
		server.close();
		rmSync(home.socket, { force: true });
		rmSync(home.pidFile, { force: true });
		process.exit(0);
	};
	process.on("SIGTERM", () => agent.shutdown());
	process.on("SIGINT", () => agent.shutdown());
	await markInterrupted(home).catch((error) => agentLog(`cannot mark interrupted deployments: ${(error as Error).message}`));
	await agent.loadSetup().catch((error) => agentLog((error as Error).message));
	await agent.supervisor.adoptAll().catch((error) => agentLog(`cannot adopt apps: ${(error as Error).message}`));
	markReady();
	if (agent.setup) {
		try {
			agent.proxyReady = agent.createDriver(agent.setup).ensureRunning();
		} catch (error) {
			agent.proxyReady = Promise.reject(error);
		}
		agent.proxyReady = agent.proxyReady.then(
			() => reconcileRoutes(agent),
			(error) => agentLog(`proxy did not start: ${(error as Error).message}`),
		);
	}
	agentLog(`listening on ${home.socket}`);
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
