import { agentBundle } from "../agent-bundle.js";
import type { ServerInfo, StreamOptions } from "../api/types.js";
import type { AgentSession, Providers } from "../provider.js";

/**
 * Opens the one SSH connection of a command to a known server: its host key must
 * match the pinned one, and the agent is installed or upgraded on the way.
 */
export async function openServerSession(providers: Providers, server: ServerInfo, options: StreamOptions = {}): Promise<AgentSession> {
	const ssh = await providers.ssh();
	const { session } = await ssh.openSshSession(
		{
			host: server.host,
			port: server.port,
			user: server.user,
			hostKeyFingerprint: server.hostKeyFingerprint,
			...(server.identityFile ? { identityFile: server.identityFile } : {}),
		},
		{ bundle: agentBundle(), acceptNewHostKey: false, ...(options.onEvent ? { onEvent: options.onEvent } : {}) },
	);
	return session;
}
