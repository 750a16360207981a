// The command lines the SSH provider runs on a server, as plain data: built here,
// executed in session.ts. Each script reports what it found with one marker line on
// stdout, so the client reads a fact instead of guessing from exit codes.
import { quote, rootCommand, shCommand } from "./shell.js";

export const MIN_NODE_MAJOR = 20;

/** What the scripts print; `ready` is the last line before the agent's RPC stream. */
export type Marker =
	| { kind: "ready" }
	| { kind: "socket"; path: string }
	| { kind: "outdated"; installed: string | null }
	| { kind: "node-missing"; found: string | null }
	/** Issue 12: the login's sudo asks for a password now (it did not when the server was added). */
	| { kind: "sudo-failed"; message: string | null }
	| { kind: "installed" }
	| { kind: "checksum-mismatch"; received: string | null }
	/** Issue 16: a team member's key, whose forced command answers every script with this (agents/bridge/member-command.ts). */
	| { kind: "member"; id: string };

const PREFIX = "deploy-agent:";

/** The agent home rule, the same as the agent's own: env, else root's, else the user's. */
const resolveHome = [
	// biome-ignore lint/suspicious/noTemplateCurlyInString: a shell parameter expansion, not a template
	'if [ -n "${DEPLOY_AGENT_HOME:-}" ]; then home=$DEPLOY_AGENT_HOME',
	'elif [ "$(id -u)" = 0 ]; then home=/var/lib/deploy',
	"else home=$HOME/.deploy; fi",
	'export DEPLOY_AGENT_HOME="$home"',
];

/**
 * The fastest path, shell only and as short as it can be (its bytes count towards
 * every deploy's upload): when the daemon that listens is this very bundle (it writes
 * its sha256 to agent.version while it serves), print its socket's path; the client
 * opens that socket as a direct-streamlocal channel and no Node process starts. Prints
 * nothing otherwise, and the client goes on with `connectCommand`.
 */
export function socketCommand(sha256: string, sudo = false): string {
	// The agent home rule (resolveHome above) in fewer bytes; cd fails when there is no home yet.
	// A sudo login's agent is root's (issue 12): its socket and version file are the login's own.
	const home = sudo ? "h=/var/lib/deploy" : `h=$HOME/.deploy;[ "$(id -u)" = 0 ]&&h=/var/lib/deploy`;
	return shCommand([`${home};cd "\${DEPLOY_AGENT_HOME:-$h}"&&[ "$(cat agent.version)" = ${quote(sha256)} ]&&echo ${PREFIX}socket "$PWD/agent.sock"`]);
}

/**
 * The fast path, one exec: when node is new enough and the installed agent is this
 * bundle, print `ready` and become the bridge to the agent daemon. Otherwise print
 * why not and exit, so the client installs and asks again.
 */
export function connectCommand(sha256: string, sudo = false): string {
	const script = [
		...resolveHome,
		// Issue 12: the agent's own runtime where `servers add` installed one, else the server's node.
		'node="$home/runtimes/agent/bin/node"; [ -x "$node" ] || node=node',
		'version=$("$node" --version 2>/dev/null) || version=',
		// biome-ignore lint/suspicious/noTemplateCurlyInString: a shell parameter expansion, not a template
		"major=${version#v}; major=${major%%.*}",
		`if ! [ "$major" -ge ${MIN_NODE_MAJOR} ] 2>/dev/null; then echo "${PREFIX}node-missing $version"; exit 0; fi`,
		'installed=$(cat "$home/bin/agent.sha256" 2>/dev/null)',
		`if [ "$installed" != ${quote(sha256)} ] || ! [ -f "$home/bin/agent.mjs" ]; then echo "${PREFIX}outdated $installed"; exit 0; fi`,
		`echo ${PREFIX}ready`,
		'exec "$node" "$home/bin/agent.mjs" connect',
	].join("\n");
	return sudo ? viaSudo(script) : shCommand([script]);
}

/** As root through passwordless sudo; a sudo that now wants a password says so with a marker instead of hanging. */
function viaSudo(script: string): string {
	return shCommand([`out=$(sudo -n true 2>&1) || { echo "${PREFIX}sudo-failed $out" | head -n 1; exit 0; }`, `exec ${rootCommand(script)}`]);
}

/**
 * Receives the bundle on stdin, checks its sha256 on the server (what arrived is what
 * runs), then renames it into place; agent.sha256 is written last, so a half-done
 * install never looks current. The first command of a new server makes its home: under
 * umask 077, whatever the login's (issue 13: a 022 login made it and the agent readable
 * by every user of the machine). A temp file left by a failure (a full disk) is removed.
 */
export function installCommand(sha256: string, sudo = false): string {
	const expected = quote(sha256);
	const script = [
		"umask 077",
		...resolveHome,
		'mkdir -p "$home/bin" || exit 1',
		'tmp="$home/bin/.agent.mjs.$$" sum_tmp="$home/bin/agent.sha256.$$"',
		'trap \'rm -f "$tmp" "$sum_tmp"\' EXIT',
		'cat > "$tmp" || exit 1',
		'if command -v sha256sum >/dev/null 2>&1; then sum=$(sha256sum "$tmp"); else sum=$(shasum -a 256 "$tmp"); fi',
		// biome-ignore lint/suspicious/noTemplateCurlyInString: a shell parameter expansion, not a template
		"sum=${sum%% *}",
		`if [ "$sum" != ${expected} ]; then echo "${PREFIX}checksum-mismatch $sum"; exit 1; fi`,
		'mv -f "$tmp" "$home/bin/agent.mjs" || exit 1',
		`echo ${expected} > "$sum_tmp" || exit 1`,
		'mv -f "$sum_tmp" "$home/bin/agent.sha256" || exit 1',
		`echo ${PREFIX}installed`,
	].join("\n");
	return sudo ? viaSudo(script) : shCommand([script]);
}

/** A marker from one line of a script's stdout; null for anything else (a chatty rc file). */
export function parseMarker(line: string): Marker | null {
	if (!line.startsWith(PREFIX)) return null;
	const [kind, ...rest] = line.slice(PREFIX.length).trim().split(" ");
	const value = rest.join(" ").trim() || null;
	switch (kind) {
		case "ready":
			return { kind };
		case "socket":
			return value ? { kind, path: value } : null;
		case "installed":
			return { kind };
		case "outdated":
			return { kind, installed: value };
		case "node-missing":
			return { kind, found: value };
		case "checksum-mismatch":
			return { kind, received: value };
		case "sudo-failed":
			return { kind, message: value };
		case "member":
			return value ? { kind, id: value } : null;
		default:
			return null;
	}
}
