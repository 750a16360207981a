// Issue 16: `servers add` with a team member's key. That key's forced command runs no
// script of ours, so nothing can be installed or changed, and nothing needs to be: the
// server's owner set it up. The member's client pins the host key, asks the agent how
// the server is set up and who the member is, and remembers the server.
import { agentBundle } from "../agent-bundle.js";
import type { RemoteHost } from "../provider.js";
import { DeployError } from "../protocol/errors.js";
import type { DeployEvent, ServerSetup } from "../protocol/index.js";
import type { Whoami } from "../protocol/team.js";

/** Any login prints `owner`; a member's forced command answers every script of ours with `deploy-agent:member <id>` instead. */
const WHOSE_KEY = "echo deploy-agent:owner";

/** The member this login's key belongs to; null for any other key (the owner's, or a server without teams). */
export async function memberOfKey(remote: RemoteHost): Promise<string | null> {
	const { stdout } = await remote.exec(WHOSE_KEY);
	return /^deploy-agent:member ([a-z][a-z0-9-]*)$/m.exec(stdout)?.[1] ?? null;
}

export interface Joined {
	setup: ServerSetup;
	me: Whoami;
}

/** How the owner set the server up, and who the server says this member is. Nothing is written on the server. */
export async function joinAsMember(remote: RemoteHost, onEvent: (event: DeployEvent) => void): Promise<Joined> {
	const session = await remote.openAgent({ bundle: agentBundle(), sudo: false, onEvent });
	try {
		const hello = await session.rpc.call("hello", { client: "servers add" });
		if (!hello.setup) throw new DeployError("SERVER_NOT_SET_UP", `${remote.where} knows your key, but its owner has not set the server up yet.`, "Ask the server's owner to run `deploy servers add` first.");
		return { setup: hello.setup, me: await session.rpc.call("whoami", {}) };
	} finally {
		await session.close();
	}
}
