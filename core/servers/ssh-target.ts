import { agentBundle } from "../agent-bundle.js";
import type { ServerInfo } from "../api/types.js";
import type { SshConnectOptions, SshTarget } from "../provider.js";
import type { DeployEvent } from "../protocol/index.js";

/** How to reach a known server: its pinned host key, never a new one. */
export function sshTarget(server: ServerInfo): SshTarget {
	return {
		host: server.host,
		port: server.port,
		user: server.user,
		hostKeyFingerprint: server.hostKeyFingerprint,
		...(server.identityFile ? { identityFile: server.identityFile } : {}),
		...(server.privilege === "sudo" ? { sudo: true } : {}),
	};
}

export function sshOptions(onEvent?: (event: DeployEvent) => void): SshConnectOptions {
	return { bundle: agentBundle(), acceptNewHostKey: false, ...(onEvent ? { onEvent } : {}) };
}
