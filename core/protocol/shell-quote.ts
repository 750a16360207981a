// The one shell quoter, here because both sides need it and the agent imports only
// core/protocol: the client for the command lines of an SSH exec (core/servers/shell.ts),
// the agent for the `sh -c` lines it writes (a static site's server, a cgroup join).

/** POSIX single-quoting for `sh`: safe for any byte string; a plain word stays as it is. */
export function shellQuote(word: string): string {
	if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
	return `'${word.replaceAll("'", `'"'"'`)}'`;
}
