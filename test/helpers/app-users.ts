// Issue 13: a test agent runs as root here, so each of its apps gets a system user in
// THIS machine's /etc/passwd (named with a hash of the agent's home: no two homes
// share one). Fixtures remove the users of the homes they made when they stop, and
// the leftovers of a test that died before (their home is gone) when they start.
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, resolve } from "node:path";
import { resolveHome } from "../../agents/home.js";
import { removeAppUsers } from "../../agents/isolation/purge.js";

/** Removes the users the agent of `agentHome` made (app-users.json), after their processes. */
export async function removeHomeUsers(agentHome: string): Promise<string[]> {
	return removeAppUsers(resolveHome({ DEPLOY_AGENT_HOME: agentHome }));
}

/** Users whose comment names an agent home under the temp folder that no longer exists: a test's that never stopped. Synchronous, for installAgent. */
export function removeStaleAppUsers(): void {
	const passwd = readFileSync("/etc/passwd", "utf8");
	const tmp = resolve(tmpdir());
	for (const line of passwd.split("\n")) {
		const [name, , , , comment] = line.split(":");
		const home = /^Deploy Platform app \S+ \((.+)\)$/.exec(comment ?? "")?.[1];
		if (!name || !home?.startsWith(`${tmp}/`) || existsSync(home)) continue;
		spawnSync("userdel", [name]);
		spawnSync("groupdel", [name]);
	}
}

/**
 * Makes each folder between the temp folder and `dir` passable by other users (o+x,
 * no listing), as /var/lib is on a server: mkdtemp makes 0700 folders, through which
 * no app's user would reach its release (the agent refuses to isolate then).
 */
export function openParents(dir: string): void {
	const tmp = resolve(tmpdir());
	for (let path = dirname(resolve(dir)); path.startsWith(`${tmp}/`); path = dirname(path)) {
		chmodSync(path, (statSync(path).mode & 0o7777) | 0o001);
	}
}
