// The SSH provider's entry. Each function loads its module (and with it ssh2) when
// called: the CLI's early session runs in a worker thread and must not pay for ssh2
// in the thread that loads the command (worker-session.ts).
import type { EarlySshSession, RemoteHost, SshConnectOptions, SshHostSettings, SshTarget } from "../../core/provider.js";
import type { OpenedSshSession } from "./session.js";
import type { TerminalSession, TerminalSink } from "../../core/terminal/session.js";
import type { SshShellOptions } from "./shell-channel.js";

export type { SshConnectOptions, SshTarget } from "../../core/provider.js";
export { fingerprintOf } from "./host-key.js";
export type { OpenedSshSession, SshShellOptions };

export async function openSshSession(target: SshTarget, options: SshConnectOptions): Promise<OpenedSshSession> {
	return (await import("./session.js")).openSshSession(target, options);
}

export async function openSshSessionEarly(target: SshTarget, options: SshConnectOptions): Promise<EarlySshSession> {
	if (options.worker) return (await import("./worker-session.js")).openSshSessionInWorker(target, { ...options, worker: options.worker });
	return (await import("./session.js")).openSshSessionEarly(target, options);
}

export async function openRemoteHost(target: SshTarget, options: Omit<SshConnectOptions, "bundle" | "worker">): Promise<RemoteHost> {
	return (await import("./host.js")).openRemoteHost(target, options);
}

/** What the user's ssh config says of a host name or alias (HostName, User, Port, ProxyJump), for `servers add`. */
export async function sshHostConfig(host: string, user?: string): Promise<SshHostSettings> {
	const { hostConfig, readSshConfig } = await import("./ssh-config.js");
	const { hostName, user: configUser, port, proxyJump } = hostConfig(readSshConfig(), host, user);
	return { hostName, ...(configUser ? { user: configUser } : {}), ...(port ? { port } : {}), ...(proxyJump ? { proxyJump } : {}) };
}

export async function openSshShell(target: SshTarget, options: SshShellOptions, sink: TerminalSink): Promise<TerminalSession> {
	return (await import("./shell-channel.js")).openSshShell(target, options, sink);
}
