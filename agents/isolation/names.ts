// Issue 13: the name of the system user an app runs and builds as. Pure.
import { createHash } from "node:crypto";
import { SYSTEM_HOME } from "../system/systemd.js";

/** useradd's limit (and what `ps` and `ls -l` show in full). */
const MAX_USER_NAME = 32;

const shortHash = (text: string, length: number) => createHash("sha256").update(text).digest("hex").slice(0, length);

/**
 * `app-<app>` for the system install. A second agent on the machine (another
 * DEPLOY_AGENT_HOME: every test server) shares /etc/passwd with it, so its users carry
 * a short hash of its home: two agents with an app of the same name never share a user.
 * A name past 32 characters keeps its start and ends in a hash of the whole.
 */
export function appUserName(app: string, homeRoot: string): string {
	const scope = homeRoot === SYSTEM_HOME ? "" : `${shortHash(homeRoot, 6)}-`;
	const name = `app-${scope}${app}`;
	if (name.length <= MAX_USER_NAME) return name;
	return `${name.slice(0, MAX_USER_NAME - 9).replace(/-+$/, "")}-${shortHash(name, 8)}`;
}

/**
 * The user's comment (GECOS): which agent home made it, so a user of the same name
 * that someone else made is never taken over, and a test's leftover user can be told
 * from the machine's own. `:` and line breaks would break /etc/passwd.
 */
export function appUserComment(app: string, homeRoot: string): string {
	return `Deploy Platform app ${app} (${homeRoot})`.replace(/[:\n\r]/g, "_");
}
