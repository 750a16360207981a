// Issue 12: the connection `servers add`, `upgrade` and `rm --purge` work on: scripts
// run on it one exec channel at a time, then the agent's RPC opens on the very same
// connection (one login per command).
import { StringDecoder } from "node:string_decoder";
import type { RemoteHost, SshConnectOptions, SshTarget } from "../../core/provider.js";
import type { DeployEvent } from "../../core/protocol/index.js";
import { openDaemonSocket } from "./daemon-socket.js";
import { exitOf, openExec, tailOf } from "./exec.js";
import { installAgent } from "./install.js";
import { finish, login, withRpc } from "./session.js";

export async function openRemoteHost(target: SshTarget, options: Omit<SshConnectOptions, "bundle" | "worker">): Promise<RemoteHost> {
	const emit = options.onEvent ?? (() => undefined);
	const where = `${target.host}:${target.port}`;
	const connection = await login(target, options, emit);
	const { client } = connection;
	let closed = false;
	return {
		hostKeyFingerprint: connection.hostKeyFingerprint,
		where,
		async exec(command, { stdin, onLine } = {}) {
			const channel = await openExec(client, command);
			const stderr = tailOf(channel.stderr, 40);
			const exit = exitOf(channel);
			let stdout = "";
			let pending = "";
			// One decoder for the channel: SSH packets part multi-byte characters anywhere.
			const decoder = new StringDecoder("utf8");
			const take = (text: string) => {
				stdout += text;
				if (!onLine) return;
				pending += text;
				const lines = pending.split("\n");
				pending = lines.pop() ?? "";
				for (const line of lines) onLine(line);
			};
			channel.on("data", (chunk: Buffer) => take(decoder.write(chunk)));
			channel.end(stdin ? Buffer.from(stdin) : undefined);
			const code = await exit;
			take(decoder.end());
			if (onLine && pending) onLine(pending);
			return { code, stdout, stderr: stderr() };
		},
		async installAgent({ bundle, sudo }) {
			await installAgent(client, bundle, where, sudo);
		},
		async openAgent({ bundle, sudo, onEvent = () => undefined }: { bundle: SshConnectOptions["bundle"]; sudo: boolean; onEvent?: (event: DeployEvent) => void }) {
			const agentStartedAt = Date.now();
			onEvent({ type: "step", step: "agent", status: "started" });
			const direct = await openDaemonSocket(client, bundle.sha256, sudo);
			const opened = await finish({ connection, where, sudo, direct, agentStartedAt }, bundle, onEvent);
			return (await withRpc(opened)).session;
		},
		async close() {
			if (closed) return;
			closed = true;
			client.end();
		},
	};
}
