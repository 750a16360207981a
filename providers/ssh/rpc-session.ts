// The AgentSession over a link to the agent (bridge-link.ts): the bytes from the agent
// feed the RpcClient and the requests go back the same way. When the agent or the
// connection goes away, pending calls fail with what the server said on stderr.
import type { AgentSession } from "../../core/provider.js";
import { DeployError } from "../../core/protocol/errors.js";
import { RpcClient } from "../../core/rpc/client.js";
import type { RpcLink } from "./bridge-link.js";

export function rpcSession(link: RpcLink, where: string): AgentSession {
	const rpc = new RpcClient(link.input, link.output);
	let closing = false;
	link.onChannelClosed((exitCode) => {
		if (!closing) {
			// Killed (kill -9, the OOM killer) or crashed: the daemon's socket says no more than that it ended.
			const said = link.stderr();
			rpc.fail(
				new DeployError(
					"AGENT_DISCONNECTED",
					`The agent on ${where} stopped before it answered${exitCode === null ? "" : ` (exit code ${exitCode})`}.`,
					`Run the command again: it starts the agent again. If the agent stops again, \`deploy doctor\` checks the server, and agent.log in the agent's home on the server says why.${said.length ? " The details show what the agent said last." : ""}`,
					said,
				),
			);
		}
	});
	link.onDisconnected(() => {
		if (!closing) rpc.fail(new DeployError("AGENT_DISCONNECTED", `The SSH connection to ${where} closed.`, "Check the network and run the command again."));
	});
	let closed: Promise<void> | undefined;
	return {
		rpc,
		bytesSent: () => link.bytesBefore + rpc.bytesSent,
		close() {
			closing = true;
			rpc.fail(new DeployError("SESSION_CLOSED", "The session to the agent was closed."));
			closed ??= link.end();
			return closed;
		},
	};
}
