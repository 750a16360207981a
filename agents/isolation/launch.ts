// Issue 13: how a process of an app is started as the app's own user, as data. Pure.

/** The user an app's processes run as (made by agents/isolation/users.ts). */
export interface AppIdentity {
	name: string;
	uid: number;
	gid: number;
}

/**
 * The argv that goes in front of an app's `/bin/sh -c …`. With an identity, setpriv
 * drops to the app's user and group with no supplementary groups; always, it sets
 * no_new_privs, so nothing the app execs can gain privileges again (setuid binaries,
 * file capabilities). setpriv execs in place: the pid the supervisor holds stays the
 * app's. A null identity runs as the agent's own user (an agent that is not root);
 * without setpriv, nothing can be added.
 */
export function runAsArgv(setpriv: string | null, identity: AppIdentity | null): string[] {
	if (!setpriv) return [];
	if (identity) return [setpriv, `--reuid=${identity.uid}`, `--regid=${identity.gid}`, "--clear-groups", "--no-new-privs", "--"];
	return [setpriv, "--no-new-privs", "--"];
}

/**
 * Environment overrides for a process of the app's own user: a HOME it owns (npm's
 * cache, its logs, corepack), and who it is. The daemon's own (root's) would otherwise
 * come in with its environment.
 */
export function identityEnv(identity: AppIdentity | null, appHome: string): Record<string, string> {
	if (!identity) return {};
	return { HOME: appHome, USER: identity.name, LOGNAME: identity.name };
}

/** The tools a private /tmp needs: found, and seen working, by the probe. */
export interface PrivateTmpTools {
	unshare: string;
	mount: string;
}

/**
 * The argv that gives a process a /tmp and a /var/tmp of its app's own (what systemd's
 * PrivateTmp= gives a unit; instances are the agent's children, not units): a mount
 * namespace of its own (unshare, no fork: the pid stays the app's), the app's tmp folder
 * bound over both as root, then on to `runAs` and the app's shell. Mounts stay in that
 * namespace: nothing changes for the rest of the server.
 */
export function privateTmpArgv(tools: PrivateTmpTools | null, tmpDir: string): string[] {
	if (!tools) return [];
	// /var/tmp from /tmp once it is the app's: the folder may itself be under /tmp (a
	// DEPLOY_AGENT_HOME there), and then is hidden once /tmp is covered.
	const bind = `${tools.mount} --bind "$0" /tmp && ${tools.mount} --bind /tmp /var/tmp && exec "$@"`;
	return [tools.unshare, "--mount", "--propagation", "private", "--", "/bin/sh", "-c", bind, tmpDir];
}
