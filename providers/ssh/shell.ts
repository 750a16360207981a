// An SSH exec takes one string that the login shell of the remote user parses. This
// is the one place that turns values into that string; nothing else adds quotes.

/** POSIX single-quoting: safe for any byte string, whatever it holds. */
export function quote(value: string): string {
	if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(value)) return value;
	return `'${value.replaceAll("'", `'"'"'`)}'`;
}

/**
 * A script run by `/bin/sh -c` whatever the user's login shell is (fish, zsh, tcsh would
 * each parse the script differently). Lines are joined with newlines.
 */
export function shCommand(lines: readonly string[]): string {
	return `/bin/sh -c ${quote(lines.join("\n"))}`;
}
