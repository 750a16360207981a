// The SSH provider: one connection per command, the agent made current, and one
// channel that carries the whole RPC: the daemon's own socket when a daemon of this
// version serves (daemon-socket.ts), else a bridge process (installing the agent first
// when it is missing or another version).
import type { Client, ClientChannel } from "ssh2";
import type { AgentBundle, AgentSession, EarlySshSession, SshConnectOptions, SshTarget } from "../../core/provider.js";
import { DeployError } from "../../core/protocol/errors.js";
import type { DeployEvent } from "../../core/protocol/index.js";
import { runStep } from "../../core/protocol/steps.js";
import { type Connection, connectSsh } from "./connection.js";
import { bridgeLink } from "./bridge-link.js";
import { type DaemonSocket, openDaemonSocket } from "./daemon-socket.js";
import { openExec, readMarker, tailOf } from "./exec.js";
import { installAgent } from "./install.js";
import { connectRequest } from "./route.js";
import { connectCommand, MIN_NODE_MAJOR } from "./remote-scripts.js";

export interface OpenedSshSession {
	session: AgentSession;
	/** The fingerprint the server presented: what the caller pins. */
	hostKeyFingerprint: string;
	/** True when this call installed or upgraded the agent. */
	agentInstalled: boolean;
}

export async function openSshSession(target: SshTarget, options: SshConnectOptions): Promise<OpenedSshSession> {
	const emit = options.onEvent ?? (() => undefined);
	return withRpc(await finish(await begin(target, options, emit), options.bundle, emit));
}

/**
 * A session started before the command knows it wants it (core/servers/early-session.ts):
 * the login and, when the daemon of this version serves, its socket: nothing that
 * changes the server. `adopt` replays those steps' events to the command's listener
 * and, on the same connection, installs or starts the agent when that is still to do;
 * `close` ends a session nobody adopted. With `options.worker`, all of it runs in a
 * worker thread (worker-session.ts), off the thread that loads the command.
 */
export async function openSshSessionEarly(target: SshTarget, options: SshConnectOptions): Promise<EarlySshSession> {
	if (options.worker) return (await import("./worker-session.js")).openSshSessionInWorker(target, { ...options, worker: options.worker });
	const early = beginEarly(target, options);
	return { adopt: async (onEvent) => withRpc(await early.adopt(onEvent)), close: early.close };
}

/** The connection and the channel to the agent, before an RPC client sits on it. */
export interface OpenedBridge {
	client: Client;
	bridge: Bridge;
	where: string;
	hostKeyFingerprint: string;
}

/** The early session's steps, in this thread: what the worker runs too. */
export function beginEarly(target: SshTarget, options: SshConnectOptions): { adopt(onEvent?: (event: DeployEvent) => void): Promise<OpenedBridge>; close(): Promise<void> } {
	const held: DeployEvent[] = [];
	const abandoned = new AbortController();
	const starting = begin(target, options, (event) => held.push(event), abandoned.signal);
	starting.catch(() => undefined);
	return {
		async adopt(onEvent = () => undefined) {
			let started: Started;
			try {
				started = await starting;
			} finally {
				for (const event of held.splice(0)) onEvent(event);
			}
			return finish(started, options.bundle, onEvent);
		},
		async close() {
			abandoned.abort();
			const started = await starting.catch(() => null);
			started?.direct.channel?.end();
			started?.connection.client.end();
		},
	};
}

export async function withRpc(opened: OpenedBridge): Promise<OpenedSshSession> {
	// Loaded here, not above: the RPC client validates with the protocol's zod schemas, which a login does not wait for.
	const { rpcSession } = await import("./rpc-session.js");
	return { session: rpcSession(bridgeLink(opened.client, opened.bridge), opened.where), hostKeyFingerprint: opened.hostKeyFingerprint, agentInstalled: opened.bridge.installed !== null };
}

export interface Started {
	connection: Connection;
	where: string;
	/** Issue 12: the login reaches its root agent through passwordless sudo. */
	sudo: boolean;
	/** The daemon's socket, when a daemon of the client's version serves. */
	direct: DaemonSocket;
	agentStartedAt: number;
}

/** The `connect` step: TCP (through the jump host the ssh config names), the host key (pinned, or trusted on first use as the options and known_hosts say), the login. */
export function login(target: SshTarget, options: Omit<SshConnectOptions, "bundle" | "worker">, emit: (event: DeployEvent) => void, signal?: AbortSignal): Promise<Connection> {
	return runStep(emit, "connect", () =>
		connectSsh(
			connectRequest(target, {
				hostKey: { pinned: target.hostKeyFingerprint, acceptNew: options.acceptNewHostKey, ...(options.confirmHostKey ? { confirm: options.confirmHostKey } : {}) },
				timeoutMs: options.connectTimeoutMs ?? 20_000,
				signal,
			}),
		),
	);
}

/** Log in, and open the daemon's socket when it is there. */
async function begin(target: SshTarget, options: SshConnectOptions, emit: (event: DeployEvent) => void, signal?: AbortSignal): Promise<Started> {
	const where = `${target.host}:${target.port}`;
	const connection = await login(target, options, emit, signal);
	const agentStartedAt = Date.now();
	emit({ type: "step", step: "agent", status: "started" });
	try {
		const sudo = target.sudo === true;
		return { connection, where, sudo, direct: await openDaemonSocket(connection.client, options.bundle.sha256, sudo), agentStartedAt };
	} catch (error) {
		emit({ type: "step", step: "agent", status: "failed", durationMs: Date.now() - agentStartedAt, message: error instanceof Error ? error.message : String(error) });
		connection.client.end();
		throw error;
	}
}

/** The agent's side: its socket when `begin` found it, else the bridge (installing or upgrading the agent first). */
export async function finish(started: Started, bundle: AgentBundle, emit: (event: DeployEvent) => void): Promise<OpenedBridge> {
	const { connection, where, direct, agentStartedAt, sudo } = started;
	const { client } = connection;
	try {
		const { value: bridge, message } = await startAgent(client, bundle, where, direct, sudo);
		emit({ type: "step", step: "agent", status: "done", durationMs: Date.now() - agentStartedAt, ...(message ? { message } : {}) });
		return { client, bridge, where, hostKeyFingerprint: connection.hostKeyFingerprint };
	} catch (error) {
		emit({ type: "step", step: "agent", status: "failed", durationMs: Date.now() - agentStartedAt, message: error instanceof Error ? error.message : String(error) });
		client.end();
		throw error;
	}
}

export interface Bridge {
	channel: ClientChannel;
	/** Bytes after the `ready` line, already part of the RPC stream. */
	rest: Buffer;
	stderr: () => string[];
	/** Bytes written so far: command lines and, when installed, the bundle. */
	bytesSent: number;
	installed: "installed" | "upgraded" | null;
}

async function startAgent(client: Client, bundle: AgentBundle, where: string, direct: DaemonSocket, sudo: boolean): Promise<{ value: Bridge; message?: string }> {
	if (direct.channel) return { value: { channel: direct.channel, rest: Buffer.alloc(0), stderr: () => [], bytesSent: direct.bytesSent, installed: null } };
	const command = connectCommand(bundle.sha256, sudo);
	let bytesSent = direct.bytesSent + Buffer.byteLength(command);
	let channel = await openExec(client, command);
	let stderr = tailOf(channel.stderr);
	let read = await readMarker(channel);
	let installed: Bridge["installed"] = null;
	if (read.marker?.kind === "outdated") {
		installed = read.marker.installed ? "upgraded" : "installed";
		drain(channel);
		bytesSent += await installAgent(client, bundle, where, sudo);
		bytesSent += Buffer.byteLength(command);
		channel = await openExec(client, command);
		stderr = tailOf(channel.stderr);
		read = await readMarker(channel);
	}
	if (read.marker?.kind === "ready") {
		const value: Bridge = { channel, rest: read.rest, stderr, bytesSent, installed };
		return installed ? { value, message: installed } : { value };
	}
	drain(channel);
	if (read.marker?.kind === "sudo-failed") {
		throw new DeployError(
			"SUDO_PASSWORD_REQUIRED",
			`sudo on ${where} now asks for a password (${read.marker.message ?? "sudo -n failed"}); the agent runs as root and is reached through passwordless sudo.`,
			"Give the login passwordless sudo again (a line `<user> ALL=(ALL) NOPASSWD:ALL` in /etc/sudoers.d/), or add the server again with root.",
		);
	}
	if (read.marker?.kind === "node-missing") {
		const found = read.marker.found ? `it has Node.js ${read.marker.found}` : "no `node` is on the PATH of SSH sessions";
		throw new DeployError(
			"NODE_MISSING",
			`The agent needs Node.js ${MIN_NODE_MAJOR} or newer on ${where}, and ${found}.`,
			`\`deploy servers upgrade <server>\` installs the agent's own Node.js LTS beside it (a server added before that existed has none); or install Node.js ${MIN_NODE_MAJOR}+ on the server so that \`ssh ${where.replace(/:\d+$/, "")} node --version\` prints it.`,
		);
	}
	throw new DeployError(
		"AGENT_START_FAILED",
		installed ? `The agent was ${installed} on ${where} but does not start.` : `The agent on ${where} could not be started.`,
		"Check the details below; the server's shell must be able to run `sh` and `node`.",
		[...read.noise, ...stderr()],
	);
}

/** A channel we are done with: read what is left and close our side. */
function drain(channel: ClientChannel): void {
	channel.resume();
	channel.end();
}
