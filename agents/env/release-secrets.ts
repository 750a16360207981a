import type { EnvEnvironment } from "../../core/protocol/env.js";
import { fingerprint, seal } from "../../core/protocol/sealed.js";
import type { AgentHome } from "../home.js";
import { resolveHome } from "../home.js";
import { agentSecretKey, openWithAgentKey } from "./agent-key.js";
import { readEnvVars, valuesOf } from "./store.js";

/**
 * A release's secrets as it carries them: sealed (in its release spec and in
 * state.json's instance records, so no file holds a value in clear), and a keyed
 * fingerprint that tells a redeploy whether they changed.
 */
export interface ReleaseSecrets {
	sealed: string | undefined;
	fingerprint: string;
}

const CONTEXT = "instance-env";

export function sealReleaseSecrets(home: AgentHome, values: Record<string, string>): ReleaseSecrets {
	const keys = Object.keys(values).sort();
	if (keys.length === 0) return { sealed: undefined, fingerprint: "" };
	const key = agentSecretKey(home.root);
	const canonical = JSON.stringify(keys.map((k) => [k, values[k]]));
	return { sealed: seal(key, JSON.stringify(values), CONTEXT), fingerprint: fingerprint(key, canonical) };
}

/** The secrets a new deploy of `app` starts with: its stored values of `environment`. */
export async function currentReleaseSecrets(home: AgentHome, app: string, environment: EnvEnvironment = "production"): Promise<ReleaseSecrets> {
	return sealReleaseSecrets(home, valuesOf(await readEnvVars(home, app, environment)));
}

/**
 * Opens an instance's sealed secrets at spawn time. The daemon serves exactly one
 * home, the one resolveHome() gives it, so the spawner needs no home handed down.
 */
export function openReleaseSecrets(sealed: string | undefined, root = resolveHome().root): Record<string, string> {
	if (!sealed) return {};
	return JSON.parse(openWithAgentKey(root, sealed, CONTEXT)) as Record<string, string>;
}

/** The spec hash a release is recorded with: unchanged when no secrets exist, so older releases still compare equal. */
export function inputsSpec(specHash: string, secrets: ReleaseSecrets): string {
	return secrets.fingerprint ? `${specHash}+${secrets.fingerprint}` : specHash;
}
