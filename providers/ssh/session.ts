// The SSH provider: one connection per command, the agent made current, and one exec
// channel that carries the whole RPC. The fast path (agent already current) costs
// one exec: the same command that checks the version becomes the bridge.
import type { Client, ClientChannel } from "ssh2";
import type { AgentBundle, AgentSession, SshConnectOptions, SshTarget } from "../../core/provider.js";
import { DeployError, type DeployEvent, type StepName } from "../../core/protocol/index.js";
import { authPlan } from "./auth.js";
import { connectSsh } from "./connection.js";
import { openDaemonSocket } from "./daemon-socket.js";
import { openExec, readMarker, tailOf } from "./exec.js";
import { installAgent } from "./install.js";
import { connectCommand, MIN_NODE_MAJOR } from "./remote-scripts.js";
import { rpcSession } from "./rpc-session.js";

export interface OpenedSshSession {
	session: AgentSession;
	/** The fingerprint the server presented: what the caller pins. */
	hostKeyFingerprint: string;
	/** True when this call installed or upgraded the agent. */
	agentInstalled: boolean;
}

export async function openSshSession(target: SshTarget, options: SshConnectOptions): Promise<OpenedSshSession> {
	const emit = options.onEvent ?? (() => undefined);
	const where = `${target.host}:${target.port}`;
	const connection = await step(emit, "connect", async () => {
		const auth = authPlan({ user: target.user, identityFile: target.identityFile, agentSocket: process.env.SSH_AUTH_SOCK });
		const value = await connectSsh({
			host: target.host,
			port: target.port,
			user: target.user,
			auth,
			hostKey: { pinned: target.hostKeyFingerprint, acceptNew: options.acceptNewHostKey, ...(options.confirmHostKey ? { confirm: options.confirmHostKey } : {}) },
			timeoutMs: options.connectTimeoutMs ?? 20_000,
		});
		return { value };
	});
	const { client } = connection;
	try {
		const bridge = await step(emit, "agent", () => startAgent(client, options.bundle, where));
		return {
			session: rpcSession(client, bridge, where),
			hostKeyFingerprint: connection.hostKeyFingerprint,
			agentInstalled: bridge.installed !== null,
		};
	} catch (error) {
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

async function startAgent(client: Client, bundle: AgentBundle, where: string): Promise<{ value: Bridge; message?: string }> {
	const direct = await openDaemonSocket(client, bundle.sha256);
	if (direct.channel) return { value: { channel: direct.channel, rest: Buffer.alloc(0), stderr: () => [], bytesSent: direct.bytesSent, installed: null } };
	const command = connectCommand(bundle.sha256);
	let bytesSent = direct.bytesSent + Buffer.byteLength(command);
	let channel = await openExec(client, command);
	let stderr = tailOf(channel.stderr);
	let read = await readMarker(channel);
	let installed: Bridge["installed"] = null;
	if (read.marker?.kind === "outdated") {
		installed = read.marker.installed ? "upgraded" : "installed";
		drain(channel);
		bytesSent += await installAgent(client, bundle, where);
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
	if (read.marker?.kind === "node-missing") {
		const found = read.marker.found ? `it has Node.js ${read.marker.found}` : "no `node` is on the PATH of SSH sessions";
		throw new DeployError(
			"NODE_MISSING",
			`The agent needs Node.js ${MIN_NODE_MAJOR} or newer on ${where}, and ${found}.`,
			`Install Node.js ${MIN_NODE_MAJOR}+ on the server (your distribution's package or NodeSource), so that \`ssh ${where.replace(/:\d+$/, "")} node --version\` prints it.`,
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

async function step<T>(emit: (event: DeployEvent) => void, name: StepName, run: () => Promise<{ value: T; message?: string }>): Promise<T> {
	const started = Date.now();
	emit({ type: "step", step: name, status: "started" });
	try {
		const { value, message } = await run();
		emit({ type: "step", step: name, status: "done", durationMs: Date.now() - started, ...(message ? { message } : {}) });
		return value;
	} catch (error) {
		emit({ type: "step", step: name, status: "failed", durationMs: Date.now() - started, message: error instanceof Error ? error.message : String(error) });
		throw error;
	}
}
