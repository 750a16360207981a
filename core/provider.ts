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
