import { readFile } from "node:fs/promises";
import * as z from "zod";
import { appSpec, DeployError, deploymentId, healthcheckSpec, projectFolder } from "../../core/protocol/index.js";
import { limitsSpec } from "../../core/protocol/scaling.js";
import { writeFileAtomic } from "../fs/atomic-write.js";
import { type AgentHome, appPaths } from "../home.js";
import type { ProcessPlan } from "../detect/plan.js";

/**
 * releases/<id>.release.json: everything a release is besides its files, as it was
 * deployed: the spec (env, domains, healthcheck, drain) and the resolved process
 * plans. A rollback starts exactly this, so it needs no detection and no build.
 * Versioned: it outlives agent upgrades.
 */
export const releaseSpec = z.object({
	version: z.literal(1),
	id: deploymentId,
	spec: appSpec,
	processes: z.array(
		z.object({
			name: z.string(),
			command: z.string(),
			instances: z.number().int().min(0),
			web: z.boolean(),
			healthcheck: healthcheckSpec,
			drainSeconds: z.number().int().min(0),
			limits: limitsSpec.optional(),
			/** Issue 14: the folder it runs in, release-relative (a workspace's package). */
			dir: projectFolder.optional(),
		}),
	),
	/** A static site's folder (release-relative), served by the proxy when it can serve files. */
	static: z.object({ dir: projectFolder, spa: z.boolean() }).nullable().optional(),
	/** Hashes of what the release was built from: a deploy with the same ones changes nothing. */
	inputs: z.object({ manifest: z.string(), spec: z.string() }).optional(),
	framework: z.string().nullable().optional(),
	cache: z.object({ install: z.enum(["hit", "miss", "skipped"]), build: z.enum(["hit", "miss", "skipped"]) }).optional(),
	/** The `deploy env` values the release runs with, sealed with the agent's key (agents/env): a rollback restores them. */
	secrets: z.string().optional(),
	/** Issue 12: the agent-managed Node.js it was built with and runs on (22.23.5); absent: the machine's node. */
	node: z.string().optional(),
});
export type ReleaseSpec = z.infer<typeof releaseSpec>;

/** Holds the app's env (may be secrets): readable by the agent's user only. */
export async function writeReleaseSpec(home: AgentHome, release: Omit<z.input<typeof releaseSpec>, "version" | "processes"> & { processes: ProcessPlan[] }): Promise<void> {
	const value = releaseSpec.parse({ version: 1, ...release });
	await writeFileAtomic(appPaths(home, value.spec.name).releaseSpec(value.id), `${JSON.stringify(value, null, 2)}\n`, 0o600);
}

/** The release's spec; null when the release has none (pruned, or deployed before specs were kept). */
export async function readReleaseSpec(home: AgentHome, app: string, id: string): Promise<ReleaseSpec | null> {
	const path = appPaths(home, app).releaseSpec(id);
	let text: string;
	try {
		text = await readFile(path, "utf8");
	} catch {
		return null;
	}
	const parsed = releaseSpec.safeParse(JSON.parse(text));
	if (!parsed.success) throw new DeployError("STATE_CORRUPT", `${path} is not a valid release spec.`, "Deploy the app again; this release cannot be rolled back to.");
	return parsed.data;
}
