// Issue 16, item 3: a member's client may bring another agent version than the server
// runs (the owner has not run `deploy servers upgrade` since a client update), and a
// member's key cannot upload one. Calls this agent knows work on; one it does not know
// (or whose parameters it reads otherwise) says which versions meet and who can fix it,
// instead of "upgrade the agent", which the member cannot.
import { DeployError } from "../../core/protocol/errors.js";
import type { Caller } from "./caller.js";

const short = (sha: string) => sha.slice(0, 12);

/** The error for a call this agent cannot serve; null when the caller's client brings this very version (the usual errors hold). */
export function versionMismatch(caller: Caller, agentVersion: string, why: string): DeployError | null {
	if (!caller.clientAgent || caller.clientAgent === agentVersion) return null;
	return new DeployError(
		"AGENT_VERSION_MISMATCH",
		`The agent on this server (version ${short(agentVersion)}) is not the one your client brings (version ${short(caller.clientAgent)}), and ${why}.`,
		"Ask the server's owner to run `deploy servers upgrade <name>` (a member's key cannot upgrade the agent), or use the client version the owner uses.",
	);
}
