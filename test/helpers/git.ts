// git as the tests run it: the real executable, with an identity and no signing, so a
// commit works on any machine whatever its user's configuration.
import { execa } from "execa";

const IDENTITY = ["-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false"];

/** git in `cwd`, with no global or system configuration leaking in; rejects when git fails. */
export function gitIn(cwd: string, ...args: string[]) {
	return execa("git", [...IDENTITY, ...args], { cwd, env: { GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1" } });
}

/**
 * git in `cwd` as a user who pushes over SSH with `identityFile` (their ~/.ssh/config
 * would name it), to a test server whose host key is new each run. Resolves however git
 * ends (tests assert on exitCode) with its output interleaved in `all`.
 */
export function gitOverSsh(cwd: string, identityFile: string) {
	return (...args: string[]) =>
		execa("git", [...IDENTITY, ...args], {
			cwd,
			reject: false,
			all: true,
			env: { GIT_SSH_COMMAND: `ssh -i ${identityFile} -o IdentitiesOnly=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o BatchMode=yes -o LogLevel=ERROR` },
		});
}
