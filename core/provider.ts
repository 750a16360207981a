import type { DeployEvent } from "./protocol/index.js";
import type { RpcClient } from "./rpc/client.js";

/**
 * A live line to one server's agent: one connection, one multiplexed RPC channel,
 * for the length of one command. Providers (ssh, local) implement it.
 */
export interface AgentSession {
	readonly rpc: RpcClient;
	/** Bytes this session wrote towards the server, for honest reporting of what travelled. */
	bytesSent(): number;
	close(): Promise<void>;
}

/** The agent bundle a provider installs: one plain-JS file, identified by its sha256. */
export interface AgentBundle {
	path: string;
	sha256: string;
}

export interface SshTarget {
	host: string;
	port: number;
	user: string;
	identityFile?: string;
	/** The pinned host key (OpenSSH `SHA256:...`), or null on first contact. */
	hostKeyFingerprint: string | null;
}

export interface SshConnectOptions {
	bundle: AgentBundle;
	acceptNewHostKey: boolean;
	confirmHostKey?: (fingerprint: string) => Promise<boolean>;
	onEvent?: (event: DeployEvent) => void;
	connectTimeoutMs?: number;
	/** An early session runs in this worker thread, off the thread that loads the command. */
	worker?: SshWorker;
}

/** The SSH worker thread, started before the command knows its server: it loads ssh2 meanwhile (providers/ssh/worker-session.ts, started by cli/early-connect.ts). */
export interface SshWorker {
	/** Stops the thread when no session will run in it. */
	discard(): Promise<void>;
}

/** A session opened before a command asked for it: adopted by the command, or closed unused (core/servers/early-session.ts). */
export interface EarlySshSession {
	/** The session, with the events of its start so far replayed to `onEvent` first. */
	adopt(onEvent?: (event: DeployEvent) => void): Promise<{ session: AgentSession; hostKeyFingerprint: string; agentInstalled: boolean }>;
	close(): Promise<void>;
}

/**
 * The backends, looked up by name and loaded on first use. Core defines them; the
 * front ends (cli, electron) hand core the implementations from providers/.
 */
export interface Providers {
	ssh(): Promise<{
		openSshSession(
			target: SshTarget,
			options: SshConnectOptions,
		): Promise<{ session: AgentSession; hostKeyFingerprint: string; agentInstalled: boolean }>;
		/** Starts a session that changes nothing on the server until adopted: login, and the daemon's socket when it serves. */
		openSshSessionEarly(target: SshTarget, options: SshConnectOptions): Promise<EarlySshSession>;
	}>;
	local(): Promise<{ openLocalSession(options: { home: string; bundle: AgentBundle }): Promise<AgentSession> }>;
}
