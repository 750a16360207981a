// An SSH exec takes one string that the login shell of the remote user parses. This
// is the one place that builds that string; its words are quoted by the quoter the
// agent shares (core/protocol/shell-quote.ts).
import { shellQuote as quote } from "../protocol/shell-quote.js";

export { quote };

/**
 * A script run by `/bin/sh -c` whatever the user's login shell is (fish, zsh, tcsh would
 * each parse the script differently). Lines are joined with newlines.
 */
export function shCommand(lines: readonly string[]): string {
	return `/bin/sh -c ${quote(lines.join("\n"))}`;
}

// Runs "$0" as a script with "$@": directly when the login is root, else through
// `sudo -n` (never a prompt: a password-protected sudo fails at once). -H gives root's
// HOME; a DEPLOY_AGENT_HOME of the session travels along (sudo resets the environment).
const AS_ROOT = [
	'if [ "$(id -u)" = 0 ]; then exec /bin/sh -c "$0" sh "$@"; fi',
	// biome-ignore lint/suspicious/noTemplateCurlyInString: a shell parameter expansion, not a template
	'exec sudo -n -H ${DEPLOY_AGENT_HOME:+"DEPLOY_AGENT_HOME=$DEPLOY_AGENT_HOME"} /bin/sh -c "$0" sh "$@"',
].join("\n");

/** A script with its arguments, run as root (the login itself, or through passwordless sudo). */
export function rootCommand(script: string, args: readonly string[] = []): string {
	return `/bin/sh -c ${quote(AS_ROOT)} ${[script, ...args].map(quote).join(" ")}`;
}

/** A script with its arguments, run as the login user. */
export function userCommand(script: string, args: readonly string[] = []): string {
	return `/bin/sh -c ${[script, "sh", ...args].map(quote).join(" ")}`;
}
