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
	/** An address, a host name, or a Host alias of the user's ssh config (resolved at each connection, as ssh does). */
	host: string;
	port: number;
	user: string;
	identityFile?: string;
	/** The pinned host key (OpenSSH `SHA256:...`), or null on first contact. */
	hostKeyFingerprint: string | null;
	/** Issue 12: the login is not root; its agent is root's, reached through passwordless sudo. */
	sudo?: boolean;
}

/** Issue 13: a host's entry in the user's ssh config (~/.ssh/config): where it really is, and the user and port to take when none is given. */
export interface SshHostSettings {
	/** HostName, or the name itself. */
	hostName: string;
	user?: string;
	port?: number;
	/** Reached through this jump host (`[user@]host[:port]`). */
	proxyJump?: string;
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
 * Issue 12: one SSH connection for setting a server up: command lines run on it (as the
 * login; core builds root's through sudo), then the agent's RPC on the same connection.
 */
export interface RemoteHost {
	readonly hostKeyFingerprint: string;
	/** host:port, for messages. */
	readonly where: string;
	/** Runs one command line; stdout lines reach `onLine` as they come. `stdin` is written, then closed. */
	exec(command: string, options?: { stdin?: Uint8Array; onLine?: (line: string) => void }): Promise<{ code: number | null; stdout: string; stderr: string[] }>;
	/** Uploads the bundle (its sha256 checked on the server) without starting anything. */
	installAgent(options: { bundle: AgentBundle; sudo: boolean }): Promise<void>;
	/** The agent's RPC on this connection, installing or upgrading the bundle as needed. Closing the session closes the connection. */
	openAgent(options: { bundle: AgentBundle; sudo: boolean; onEvent?: (event: DeployEvent) => void }): Promise<AgentSession>;
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
		/** Issue 12: logs in (pinning or checking the host key) for `servers add`, `upgrade` and `rm --purge`. */
		openRemoteHost(target: SshTarget, options: Omit<SshConnectOptions, "bundle" | "worker">): Promise<RemoteHost>;
		/** Issue 13: what the user's ssh config says of a host name or alias, read before `servers add` connects. */
		sshHostConfig(host: string, user?: string): Promise<SshHostSettings>;
	}>;
	local(): Promise<{
		/** `startAgent: false` (reads): use a running daemon only; PREVIEW_NOT_RUNNING when there is none. */
		openLocalSession(options: { home: string; bundle: AgentBundle; startAgent?: boolean }): Promise<AgentSession>;
		/** Issue 14: stops the preview's daemon and its apps (`deploy preview --stop`). */
		stopLocalAgent(options: { home: string; bundle: AgentBundle }): Promise<{ agent: boolean; instances: number }>;
	}>;
}
