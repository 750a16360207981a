import type { ServerInfo, StreamOptions } from "../api/types.js";
import type { AgentSession, Providers } from "../provider.js";
import { DeployError, EARLY_SESSION_LOST } from "../protocol/errors.js";
import { adoptEarly } from "./early-session.js";
import { sshOptions, sshTarget } from "./ssh-target.js";

/**
 * Opens the one SSH connection of a command to a known server: its host key must
 * match the pinned one, and the agent is installed or upgraded on the way. A session
 * the CLI already started to the same server (early-session.ts) is taken over.
 */
export async function openServerSession(providers: Providers, server: ServerInfo, options: StreamOptions = {}): Promise<AgentSession> {
	const early = adoptEarly(server, options.onEvent);
	if (early) {
		try {
			return await early;
		} catch (error) {
			if (!(error instanceof DeployError && error.code === EARLY_SESSION_LOST)) throw error;
		}
	}
	const ssh = await providers.ssh();
	return (await ssh.openSshSession(sshTarget(server), sshOptions(options.onEvent))).session;
}
