// Issue 16: the lines of authorized_keys that are ours, as pure text functions. A
// member's line is `restrict,command="…" <type> <base64> deploy-member:<id>`: sshd runs
// only the bridge for that key (no shell, no pty, no forwarding of any kind), and the
// comment marks the line as the agent's. Every other line is kept byte for byte: the
// text is handled as latin1 by the caller, so no byte is re-encoded.
import { shellQuote } from "../../core/protocol/shell-quote.js";
import type { PublicKey } from "./public-key.js";

const MARK = "deploy-member:";

export interface BridgeCommand {
	/** The node binary the daemon runs on. */
	node: string;
	/** The installed agent bundle (its path stays the same across upgrades). */
	agent: string;
	/** The agent's home, so the key reaches this very agent whatever the login's environment. */
	home: string;
	/** The login is not the agent's user (issue 12's sudo login; the agent is root's): the bridge runs through `sudo -n`. */
	viaSudo?: boolean;
}

/** The forced command: the bridge, told which member is on the other end. */
export function forcedCommand(bridge: BridgeCommand, member: string): string {
	for (const path of [bridge.node, bridge.agent, bridge.home]) {
		// Inside command="…" a quote or backslash would need sshd's escaping: paths with them are refused, not escaped.
		if (/["'\\\n]/.test(path)) throw new Error(`A path with a quote or backslash cannot go into authorized_keys: ${path}`);
	}
	const run = `${shellQuote(bridge.node)} ${shellQuote(bridge.agent)} connect --member ${member}`;
	if (!bridge.viaSudo) return `DEPLOY_AGENT_HOME=${shellQuote(bridge.home)} exec ${run}`;
	// sudo resets the environment: what the bridge reads of sshd's (what the client asked to run, its address) is
	// passed on by name (\" is a quote inside command="…"). Only this command runs as root: the member's key runs no other.
	const passed = ["SSH_ORIGINAL_COMMAND", "SSH_CLIENT"].map((name) => `${name}=\\"$${name}\\"`).join(" ");
	return `exec sudo -n DEPLOY_AGENT_HOME=${shellQuote(bridge.home)} ${passed} ${run}`;
}

export function memberKeyLine(key: PublicKey, command: string, member: string): string {
	return `restrict,command="${command}" ${key.type} ${key.base64} ${MARK}${member}`;
}

/** Ours: a restricted line ending with our mark (a comment that merely mentions the mark is not). */
const isMemberLine = (line: string, member?: string) => {
	const end = line.replace(/\r$/, "").trimEnd();
	if (!end.startsWith('restrict,command="')) return false;
	return member === undefined ? new RegExp(` ${MARK}[a-z][a-z0-9-]*$`).test(end) : end.endsWith(` ${MARK}${member}`);
};

/** The text with the member's line added, or put in place of their previous one. */
export function withMemberKey(text: string, member: string, line: string): string {
	const kept = withoutMemberKey(text, member);
	const separator = kept === "" || kept.endsWith("\n") ? "" : "\n";
	return `${kept}${separator}${line}\n`;
}

/** The text without the member's line; every other line as it was. */
export function withoutMemberKey(text: string, member: string): string {
	if (text === "") return text;
	const lines = text.split("\n");
	return lines.filter((line) => !isMemberLine(line, member)).join("\n");
}

/** Whether a key (by its base64) already authorizes a login on a line that is not this member's: the owner's, or another member's. */
export function keyUsedElsewhere(text: string, key: PublicKey, member: string): boolean {
	return text.split("\n").some((line) => !isMemberLine(line, member) && line.split(/\s+/).includes(key.base64));
}
