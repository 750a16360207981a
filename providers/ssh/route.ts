// From a server as the store knows it to the connection to open: the user's ssh config
// turns a host alias into its HostName, adds the IdentityFile lines when no key was
// given, and a jump host for ProxyJump; the known_hosts files say what keys ssh
// already trusts there. The port and user are the target's: `servers add` took them
// from the same config when they were not given.
import { userInfo } from "node:os";
import type SSHConfig from "ssh-config";
import type { SshTarget } from "../../core/provider.js";
import { DeployError } from "../../core/protocol/errors.js";
import { authPlan } from "./auth.js";
import type { ConnectRequest } from "./connection.js";
import type { HostKeyPolicy } from "./host-key.js";
import { knownHostsName, readKnownHosts } from "./known-hosts.js";
import { hostConfig, readSshConfig, type SshHostConfig, sshConfigPath } from "./ssh-config.js";

export interface RouteOptions {
	hostKey: Omit<HostKeyPolicy, "known">;
	timeoutMs: number;
	signal?: AbortSignal | undefined;
}

export function connectRequest(target: SshTarget, options: RouteOptions): ConnectRequest {
	const config = readSshConfig();
	const entry = hostConfig(config, target.host, target.user);
	const jump = entry.proxyJump ? jumpRequest(config, entry.proxyJump, target.host, options) : undefined;
	return {
		name: target.host,
		host: entry.hostName,
		port: target.port,
		user: target.user,
		auth: authPlan({ user: target.user, identityFile: target.identityFile, identityFiles: entry.identityFiles, agentSocket: process.env.SSH_AUTH_SOCK }),
		hostKey: { ...options.hostKey, known: knownKeys(entry, target.port) },
		timeoutMs: options.timeoutMs,
		...(options.signal ? { signal: options.signal } : {}),
		...(jump ? { jump } : {}),
	};
}

function knownKeys(entry: SshHostConfig, port: number) {
	return readKnownHosts(entry.knownHostsFiles, knownHostsName(entry.hostKeyAlias ?? entry.hostName, port));
}

/**
 * The jump host of ProxyJump, with its own Host block applied. One hop: a chain
 * (`a,b`, or a jump host with a ProxyJump of its own) is refused. Its host key has
 * nowhere to be pinned, so only the known_hosts files can vouch for it.
 */
function jumpRequest(config: SSHConfig, spec: string, of: string, options: RouteOptions): ConnectRequest {
	const unsupported = (why: string) =>
		new DeployError("SSH_CONFIG_UNSUPPORTED", `${sshConfigPath()} reaches ${of} through ProxyJump ${spec}: ${why}.`, "deploy goes through one jump host: give the jump host itself no ProxyJump, or reach the server directly.");
	if (spec.includes(",")) throw unsupported("more than one hop is not supported");
	const parsed = /^(?:ssh:\/\/)?(?:([^@]+)@)?(\[[^\]]+\]|[^:@/]+)(?::(\d+))?\/?$/.exec(spec);
	if (!parsed) throw new DeployError("SSH_CONFIG_INVALID", `${sshConfigPath()} gives ${of} the ProxyJump "${spec}", which is not [user@]host[:port].`, "Fix the ProxyJump line of that host in your ssh config.");
	const name = parsed[2]!.replace(/^\[|\]$/g, "");
	const entry = hostConfig(config, name, parsed[1]);
	if (entry.proxyJump) throw unsupported(`the jump host ${name} has a ProxyJump of its own, and more than one hop is not supported`);
	const user = parsed[1] ?? entry.user ?? userInfo().username;
	const port = parsed[3] ? Number(parsed[3]) : (entry.port ?? 22);
	return {
		name,
		host: entry.hostName,
		port,
		user,
		auth: authPlan({ user, identityFiles: entry.identityFiles, agentSocket: process.env.SSH_AUTH_SOCK }),
		hostKey: {
			pinned: null,
			acceptNew: false,
			known: knownKeys(entry, port),
			unknownHint: `deploy trusts a jump host only through your known_hosts: connect to it once with ssh (\`ssh ${spec}\`), check the fingerprint it shows, and run again.`,
		},
		timeoutMs: options.timeoutMs,
		...(options.signal ? { signal: options.signal } : {}),
	};
}
