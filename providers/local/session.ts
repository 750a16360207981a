// The local provider, for `deploy preview`: the agent runs on this machine with its
// own home, and the bridge's stdio is the RPC channel. No SSH, same protocol.
import { mkdir } from "node:fs/promises";
import { connect } from "node:net";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { StringDecoder } from "node:string_decoder";
import { execa } from "execa";
import type { AgentBundle, AgentSession } from "../../core/provider.js";
import { DeployError } from "../../core/protocol/index.js";
import { RpcClient } from "../../core/rpc/client.js";

export interface LocalSessionOptions {
	/** The agent home (DEPLOY_AGENT_HOME) of the local "server". */
	home: string;
	bundle: AgentBundle;
	/**
	 * Issue 14: false for reads (ls, ps, logs...): only a daemon already running is
	 * used, and none is started, so a look at the preview leaves nothing behind.
	 */
	startAgent?: boolean;
}

export async function openLocalSession({ home, bundle, startAgent = true }: LocalSessionOptions): Promise<AgentSession> {
	if (!startAgent && !(await daemonAnswers(home))) throw previewNotRunning();
	// The local agent's home is the user's alone, as a server's (issue 13).
	await mkdir(home, { recursive: true, mode: 0o700 });
	// The same Node that runs the CLI runs the agent: no version check needed. Inside
	// the desktop app that binary is Electron's, which acts as plain Node only when told.
	const bridge = execa(process.execPath, [bundle.path, "connect", ...(startAgent ? [] : ["--no-start"])], {
		// A preview's apps run as you, on your machine: no user of their own (issue 13), even when you are root.
		env: { DEPLOY_AGENT_HOME: home, DEPLOY_AGENT_ISOLATION: "off", ...(process.versions.electron ? { ELECTRON_RUN_AS_NODE: "1" } : {}) },
		stdin: "pipe",
		stdout: "pipe",
		stderr: "pipe",
		buffer: false,
		reject: false,
	});
	let stderr = "";
	// One decoder for the stream: a chunk may end inside a multi-byte character.
	const decoder = new StringDecoder("utf8");
	bridge.stderr.on("data", (chunk: Buffer) => {
		stderr = (stderr + decoder.write(chunk)).slice(-16_384);
	});
	// stdout's end reaches the RpcClient only after the exit below has failed the
	// pending calls with what the agent said on stderr.
	const input = new PassThrough();
	bridge.stdout.pipe(input, { end: false });
	const rpc = new RpcClient(input, bridge.stdin);

	let closing = false;
	const exited = bridge.then((result) => {
		if (!closing) {
			const why = result.failed && !result.exitCode ? result.shortMessage : `exit code ${result.exitCode ?? result.signal}`;
			const details = stderr.split("\n").filter(Boolean).slice(-20);
			// AGENT_NOT_RUNNING: the daemon stopped between the check above and the bridge's own.
			const stopped = stderr.includes("AGENT_NOT_RUNNING") ? previewNotRunning() : null;
			rpc.fail(stopped ?? new DeployError("AGENT_DISCONNECTED", `The local agent stopped (${why}).`, "Run the command again; the details show what the agent said.", details));
		}
		input.end();
	});

	let closed: Promise<void> | undefined;
	return {
		rpc,
		bytesSent: () => rpc.bytesSent,
		close() {
			closed ??= (async () => {
				closing = true;
				rpc.fail(new DeployError("SESSION_CLOSED", "The session to the agent was closed."));
				bridge.stdin.end();
				// The bridge ends with its stdin; one that does not is stopped.
				const timer = setTimeout(() => bridge.kill(), 3000);
				await exited;
				clearTimeout(timer);
			})();
			return closed;
		},
	};
}

/** Whether the preview's daemon listens on its socket (the bridge's own test, without starting Node). */
export function daemonAnswers(home: string): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = connect(join(home, "agent.sock"));
		socket.once("connect", () => {
			socket.destroy();
			resolve(true);
		});
		socket.once("error", () => resolve(false));
	});
}

function previewNotRunning(): DeployError {
	return new DeployError("PREVIEW_NOT_RUNNING", "Nothing runs in the preview on this machine: its agent is stopped.", "`deploy preview` in an app's folder starts it (and its apps) again.");
}
