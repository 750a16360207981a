// An interactive shell on a server: ssh2's shell channel with a pty, over a
// connection opened by the same code as every command (connection.ts: the pinned
// host key must match, the same credentials are offered). One connection per shell:
// closing the terminal ends both.
import type { ClientChannel } from "ssh2";
import type { SshTarget } from "../../core/provider.js";
import { DeployError } from "../../core/protocol/errors.js";
import type { TerminalSize } from "../../core/terminal/contract.js";
import type { TerminalSession, TerminalSink } from "../../core/terminal/session.js";
import { connectSsh } from "./connection.js";
import { connectRequest } from "./route.js";

export interface SshShellOptions {
	size: TerminalSize;
	connectTimeoutMs?: number;
}

export async function openSshShell(target: SshTarget, options: SshShellOptions, sink: TerminalSink): Promise<TerminalSession> {
	if (target.hostKeyFingerprint === null) {
		throw new DeployError("HOST_KEY_UNKNOWN", `The host key of ${target.host}:${target.port} is not pinned.`, "Add the server first (deploy servers add): that pins its key.");
	}
	const { client } = await connectSsh(
		connectRequest(target, {
			// A terminal never pins a new key: only `servers add` does, after a person checked it.
			hostKey: { pinned: target.hostKeyFingerprint, acceptNew: false },
			timeoutMs: options.connectTimeoutMs ?? 20_000,
		}),
	);
	let channel: ClientChannel;
	try {
		channel = await new Promise<ClientChannel>((resolve, reject) => {
			client.shell({ term: "xterm-256color", cols: options.size.cols, rows: options.size.rows }, (error, opened) => {
				if (error) reject(new DeployError("TERMINAL_FAILED", `${target.host}:${target.port} refused a shell: ${error.message}`, "Check that the account has a login shell (not nologin)."));
				else resolve(opened);
			});
		});
	} catch (error) {
		client.end();
		throw error;
	}

	let ended = false;
	let code: number | null = null;
	const end = (exit: Parameters<TerminalSink["exit"]>[0]) => {
		if (ended) return;
		ended = true;
		client.end();
		sink.exit(exit);
	};
	channel.on("data", (chunk: Buffer) => sink.data(chunk));
	channel.stderr.on("data", (chunk: Buffer) => sink.data(chunk));
	channel.on("exit", (exitCode: number | null) => {
		code = exitCode;
	});
	channel.on("close", () => end({ code }));
	client.on("close", () => end({ code, ...(code === null ? { error: { code: "SSH_DISCONNECTED", message: `The SSH connection to ${target.host}:${target.port} closed.` } } : {}) }));
	client.on("error", (error: Error) => end({ code, error: { code: "SSH_DISCONNECTED", message: `The SSH connection to ${target.host}:${target.port} failed: ${error.message}` } }));

	return {
		write: (data) => ended || channel.write(data),
		// ssh2 takes rows first; the pixel sizes are optional (0).
		resize: ({ cols, rows }) => ended || channel.setWindow(rows, cols, 0, 0),
		close() {
			if (ended) return;
			channel.close();
			client.end();
		},
	};
}
