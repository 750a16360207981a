import { join } from "node:path";
import * as z from "zod";
import type { EnvEnvironment } from "../../core/protocol/env.js";
import { DeployError } from "../../core/protocol/index.js";
import { seal } from "../../core/protocol/sealed.js";
import { writeFileAtomic } from "../fs/atomic-write.js";
import { type AgentHome, appPaths } from "../home.js";
import { agentSecretKey, openWithAgentKey } from "./agent-key.js";
import { readTextIfExists } from "../fs/read-if-exists.js";

/** The variables of one environment of an app, in clear only in memory. */
export type EnvVars = Record<string, { value: string; updatedAt: string }>;

const sealedFile = z.object({ version: z.literal(1), sealed: z.string() });
const plainVars = z.record(z.string(), z.object({ value: z.string(), updatedAt: z.string() }));

/** apps/<app>/env/<environment>.json: the values sealed with the agent's key, 0600. */
export function envFile(home: AgentHome, app: string, environment: EnvEnvironment): string {
	return join(appPaths(home, app).dir, "env", `${environment}.json`);
}

/** What the seal is bound to: a file copied to another app or environment does not open. */
const context = (app: string, environment: EnvEnvironment) => `env:${app}:${environment}`;

export async function readEnvVars(home: AgentHome, app: string, environment: EnvEnvironment): Promise<EnvVars> {
	const path = envFile(home, app, environment);
	const text = await readTextIfExists(path);
	if (text === null) return {};
	const file = sealedFile.safeParse(JSON.parse(text));
	if (!file.success) throw new DeployError("STATE_CORRUPT", `${path} is not an env file of this agent.`, "Remove it and set the values again with `deploy env set`.");
	return plainVars.parse(JSON.parse(openWithAgentKey(home.root, file.data.sealed, context(app, environment))));
}

export async function writeEnvVars(home: AgentHome, app: string, environment: EnvEnvironment, vars: EnvVars): Promise<void> {
	const sealed = seal(agentSecretKey(home.root), JSON.stringify(vars), context(app, environment));
	await writeFileAtomic(envFile(home, app, environment), `${JSON.stringify({ version: 1, sealed })}\n`, 0o600);
}

/** Plain key → value, for a process's environment. */
export function valuesOf(vars: EnvVars): Record<string, string> {
	return Object.fromEntries(Object.entries(vars).map(([key, entry]) => [key, entry.value]));
}
