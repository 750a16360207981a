// Issue 16: what a team member's key may run. sshd runs the forced command
// (`connect --member <id>`) whatever the client asked for, and puts what it asked for
// in SSH_ORIGINAL_COMMAND: the client's connect script becomes the bridge, its other
// scripts (the socket probe, an install) find nothing to do, and anything else (a
// shell, `id`, `cat`) is refused.

/** The last line the client's connect script prints before the RPC stream (providers/ssh/remote-scripts.ts). */
export const READY_MARKER = "deploy-agent:ready";
/** What any other script of the client gets from a member's key: the member's name (providers/ssh/remote-scripts.ts). */
export const MEMBER_MARKER = "deploy-agent:member";

/**
 * The agent version the member's client brings: the sha256 its connect script compares
 * with the installed one (providers/ssh/remote-scripts.ts), which the forced command
 * skipped; undefined when the script names none.
 */
export function clientAgentVersion(asked = process.env.SSH_ORIGINAL_COMMAND): string | undefined {
	return asked ? /\b[0-9a-f]{64}\b/.exec(asked)?.[0] : undefined;
}

/** True when the bridge should serve; otherwise it has answered (or refused) and the process should end. */
export function memberMayConnect(member: string, asked = process.env.SSH_ORIGINAL_COMMAND): boolean {
	if (asked?.includes(`echo ${READY_MARKER}`)) return true;
	// Another script of the deploy client (the socket probe, `servers add`'s question): says whose key this is, so the
	// client goes on to connect, or joins as this member (core/servers/join.ts); no script of the client's runs.
	if (asked?.includes("deploy-agent:")) {
		process.stdout.write(`${MEMBER_MARKER} ${member}\n`);
		return false;
	}
	process.stderr.write(`deploy-agent: PERMISSION_DENIED: this key (team member ${member}) may only speak the agent's protocol: no shell, no commands, no forwarding.\nIt works with the deploy CLI only, on a server its owner added (the owner's \`deploy team ls\` shows the members).\n`);
	process.exitCode = 1;
	return false;
}
