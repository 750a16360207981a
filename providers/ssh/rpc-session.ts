// The AgentSession over the bridge exec: the channel's stdout feeds the RpcClient and
// its stdin takes the requests. When the agent or the connection goes away, pending
// calls fail with what the server said on stderr.
import { PassThrough } from "node:stream";
import type { Client } from "ssh2";
import type { AgentSession } from "../../core/provider.js";
import { DeployError } from "../../core/protocol/errors.js";
import { RpcClient } from "../../core/rpc/client.js";
import type { Bridge } from "./session.js";

export function rpcSession(client: Client, bridge: Bridge, where: string): AgentSession {
	const { channel } = bridge;
	// The marker line is already consumed; what followed it belongs to the RPC stream.
	const input = new PassThrough();
	if (bridge.rest.length) input.write(bridge.rest);
	channel.pipe(input, { end: false });
	const rpc = new RpcClient(input, channel);

	let closing = false;
	let disconnected = false;
	let exitCode: number | null = null;
	channel.on("exit", (code: number | null) => {
		exitCode = code;
	});
	channel.on("close", () => {
		if (!closing) {
			rpc.fail(new DeployError("AGENT_DISCONNECTED", `The agent on ${where} stopped (exit code ${exitCode ?? "none"}).`, "Run the command again; the details show what the agent said.", bridge.stderr()));
		}
		input.end();
	});
	client.on("close", () => {
		disconnected = true;
		if (!closing) rpc.fail(new DeployError("AGENT_DISCONNECTED", `The SSH connection to ${where} closed.`, "Check the network and run the command again."));
		input.end();
	});

	let closed: Promise<void> | undefined;
	return {
		rpc,
		bytesSent: () => bridge.bytesSent + rpc.bytesSent,
		close() {
			closed ??= new Promise<void>((resolve) => {
				closing = true;
				rpc.fail(new DeployError("SESSION_CLOSED", "The session to the agent was closed."));
				if (disconnected) return resolve();
				client.once("close", () => resolve());
				// A server that never answers the disconnect must not hold the command open.
				setTimeout(() => client.destroy(), 3000).unref();
				channel.end();
				client.end();
			});
			return closed;
		},
	};
}
