import { userInfo } from "node:os";
import type { ApiContext } from "../api/context.js";

/** The user when one was given, and the host (an address, a host name or an ssh config alias). */
export function splitDestination(destination: string): [string | undefined, string] {
	const at = destination.lastIndexOf("@");
	const host = (at === -1 ? destination : destination.slice(at + 1)).replace(/^\[|\]$/g, "");
	return [at === -1 ? undefined : destination.slice(0, at), host];
}

/**
 * Issue 13: the host may be an alias of the user's ssh config. What was given wins, as
 * with ssh; the server is remembered by the alias, so each connection reads the config
 * again (a changed HostName or ProxyJump is followed).
 */
export async function sshDestination(context: ApiContext, destination: string, port: number | undefined) {
	const [givenUser, host] = splitDestination(destination);
	const ssh = await context.providers.ssh();
	const configured = await ssh.sshHostConfig(host, givenUser);
	return { ssh, host, configured, user: givenUser ?? configured.user ?? userInfo().username, port: port ?? configured.port ?? 22 };
}
