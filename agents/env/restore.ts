import type { AgentHome } from "../home.js";
import { openReleaseSecrets } from "./release-secrets.js";
import { readEnvVars, writeEnvVars } from "./store.js";

/**
 * After a rollback the stored production env becomes the env the release runs with,
 * so `deploy env ls` and the next deploy agree with what serves. A value that did not
 * change keeps its date.
 */
export async function restoreEnvOfRelease(home: AgentHome, app: string, sealed: string | undefined): Promise<void> {
	const values = openReleaseSecrets(sealed, home.root);
	const current = await readEnvVars(home, app, "production");
	const now = new Date().toISOString();
	const same = Object.keys(values).length === Object.keys(current).length && Object.entries(values).every(([k, v]) => current[k]?.value === v);
	if (same) return;
	await writeEnvVars(home, app, "production", Object.fromEntries(Object.entries(values).map(([key, value]) => [key, { value, updatedAt: current[key]?.value === value ? current[key].updatedAt : now }])));
}
