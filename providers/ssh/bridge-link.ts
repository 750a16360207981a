// What carries a session's RPC: the channel to the agent and the connection under
// it, as streams and two notifications. In this thread it is the SSH channel itself
// (bridgeLink); the CLI's early session relays the same through a worker thread
// (worker-session.ts), whose side uses bridgeLink too.
import { PassThrough, type Readable, type Writable } from "node:stream";
import type { Client } from "ssh2";
import type { Bridge } from "./session.js";

export interface RpcLink {
	/** The agent's bytes, the marker line already consumed. */
	input: Readable;
	/** Towards the agent. */
	output: Writable;
	/** Bytes written before the RPC: command lines and, when installed, the bundle. */
	bytesBefore: number;
	/** The last lines the bridge wrote on stderr. */
	stderr(): string[];
	/** The agent's end closed (its exit code, when it had one). */
	onChannelClosed(listener: (exitCode: number | null) => void): void;
	/** The SSH connection closed. */
	onDisconnected(listener: () => void): void;
	/** Ends the channel and the connection; resolves once the connection is closed. */
	end(): Promise<void>;
}

/**
 * How long the end of the agent's stream waits for the channel's close, which brings
 * the bridge's exit code and last stderr lines; the daemon's socket has neither.
 */
const CLOSE_GRACE_MS = 500;

/** The link over a channel of a connection in this thread. */
export function bridgeLink(client: Client, bridge: Bridge): RpcLink {
	const { channel } = bridge;
	const input = new PassThrough();
	if (bridge.rest.length) input.write(bridge.rest);
	channel.pipe(input, { end: false });
	let disconnected = false;
	let exitCode: number | null = null;
	const closedListeners: ((exitCode: number | null) => void)[] = [];
	let agentGone = false;
	const agentClosed = () => {
		if (agentGone) return;
		agentGone = true;
		for (const listener of closedListeners) listener(exitCode);
		input.end();
	};
	channel.on("exit", (code: number | null) => {
		exitCode = code;
	});
	// The end of the agent's stream is the end of the session: no answer can come after
	// it. On the daemon's forwarded socket it is all a killed daemon leaves (kill -9,
	// OOM): sshd closes that channel only once both sides have ended, so without our own
	// end here the command would wait forever on a channel that never closes.
	channel.on("end", () => {
		channel.end();
		setTimeout(agentClosed, CLOSE_GRACE_MS).unref();
	});
	channel.on("close", agentClosed);
	client.on("close", () => {
		disconnected = true;
		input.end();
	});
	return {
		input,
		output: channel,
		bytesBefore: bridge.bytesSent,
		stderr: bridge.stderr,
		onChannelClosed: (listener) => closedListeners.push(listener),
		onDisconnected: (listener) => client.on("close", listener),
		end: () =>
			new Promise<void>((resolve) => {
				if (disconnected) return resolve();
				client.once("close", () => resolve());
				// A server that never answers the disconnect must not hold the command open.
				setTimeout(() => client.destroy(), 3000).unref();
				channel.end();
				client.end();
			}),
	};
}
