import { existsSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { envEnvironment } from "../../core/protocol/env.js";
import type { SecretsKeyReport } from "../../core/protocol/secrets-key.js";
import { listApps } from "../deploy/records.js";
import { type AgentHome, appPaths } from "../home.js";
import { agentKeyPath } from "./agent-key.js";
import { openReleaseSecrets } from "./release-secrets.js";
import { readEnvVars } from "./store.js";

/**
 * Issue 13, for `deploy doctor`: whether the secrets key is there, and which apps hold
 * sealed values that do not open with it (their stored env, or the values their
 * instances start with). Those apps' instances cannot start again, and nothing but
 * a key from a backup, or the values set again, brings them back.
 */
export async function secretsKeyStatus(home: AgentHome, instanceSecrets: (app: string) => string[]): Promise<SecretsKeyReport> {
	const path = agentKeyPath(home.root);
	const unreadable: string[] = [];
	for (const app of (await listApps(home)).sort()) {
		const opens = (await storedEnvOpens(home, app)) && [...new Set(instanceSecrets(app))].every((sealed) => opensSync(() => openReleaseSecrets(sealed, home.root)));
		if (!opens) unreadable.push(app);
	}
	return { path, present: existsSync(path), unreadable };
}

async function storedEnvOpens(home: AgentHome, app: string): Promise<boolean> {
	const files = new Set(await readdir(join(appPaths(home, app).dir, "env")).catch(() => [] as string[]));
	for (const environment of envEnvironment.options.filter((name) => files.has(`${name}.json`))) {
		const opened = await readEnvVars(home, app, environment).then(
			() => true,
			(error: { code?: string }) => !String(error.code).startsWith("SECRETS_"),
		);
		if (!opened) return false;
	}
	return true;
}

function opensSync(fn: () => unknown): boolean {
	try {
		fn();
		return true;
	} catch (error) {
		return !String((error as { code?: string }).code).startsWith("SECRETS_");
	}
}
