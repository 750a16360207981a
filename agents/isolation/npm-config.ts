// Issue 13: what the agent's own user told npm (its ~/.npmrc: a registry, the company's
// CA, credentials) kept working for builds that now run as the app's user, whose HOME
// is its own. Lent for the install and build only: a copy beside the app's folder,
// root's and the app's group's (never written into a folder the app owns, where a
// link it made could redirect the write), named by NPM_CONFIG_USERCONFIG (npm, pnpm
// and yarn 1 read it), removed when the build ends.
import { chmod, chown, rm } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { writeFileAtomic } from "../fs/atomic-write.js";
import { readTextIfExists } from "../fs/read-if-exists.js";
import { type AgentHome, appPaths } from "../home.js";
import type { AppIdentity } from "./launch.js";

/** The npm user config npm would read for the agent itself. */
export function agentNpmConfigPath(env: NodeJS.ProcessEnv = process.env): string {
	const named = Object.entries(env).find(([key]) => key.toLowerCase() === "npm_config_userconfig")?.[1];
	return named || join(env.HOME || homedir(), ".npmrc");
}

/** Lends the agent's npm user config to the app's build; returns the env that names it and what gives it back. */
export async function lendNpmConfig(home: AgentHome, app: string, identity: AppIdentity | null): Promise<{ env: Record<string, string>; giveBack: () => Promise<void> }> {
	const nothing = { env: {}, giveBack: async () => undefined };
	if (!identity) return nothing;
	const text = await readTextIfExists(agentNpmConfigPath()).catch(() => null);
	if (text === null) return nothing;
	const copy = join(appPaths(home, app).dir, "build.npmrc");
	await writeFileAtomic(copy, text);
	await chown(copy, process.getuid?.() ?? 0, identity.gid);
	// After the chown, and not through the umask (077): the app's group reads it, no one else.
	await chmod(copy, 0o640);
	return { env: { NPM_CONFIG_USERCONFIG: copy }, giveBack: () => rm(copy, { force: true }) };
}
