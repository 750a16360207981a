import * as z from "zod";
import { DeployError, deploymentId } from "../../core/protocol/index.js";
import { limitsSpec } from "../../core/protocol/scaling.js";
import { writeFileAtomic } from "../fs/atomic-write.js";
import { readTextIfExists } from "../fs/read-if-exists.js";

/**
 * One running copy of a process. Enough is kept to restart it after the daemon
 * itself restarted: the command, the release folder, the app's own env.
 */
export const instanceRecord = z.object({
	process: z.string(),
	port: z.number().int(),
	pid: z.number().int(),
	startTime: z.string().nullable(),
	deploymentId,
	/** starting: not live yet; draining: being stopped; crashed: gave up restarting. */
	status: z.enum(["starting", "running", "draining", "crashed"]),
	command: z.string(),
	cwd: z.string(),
	env: z.record(z.string(), z.string()),
	/** The release's `deploy env` values, sealed with the agent's key (agents/env): opened only to spawn. */
	secrets: z.string().optional(),
	web: z.boolean(),
	/** Restarts after crashes since it was first started (what `ps` shows). */
	restarts: z.number().int().default(0),
	/** Seconds between SIGTERM and SIGKILL when it is stopped. */
	drainSeconds: z.number().int().default(30),
	/** Why it is in its state (the last exit, the crash loop), for a person. */
	message: z.string().optional(),
	/** Issue 7: memory and CPU limits it is started with (agents/limits/). */
	limits: limitsSpec.optional(),
	/** Issue 12: the agent-managed Node.js it runs on (22.23.5); absent: the machine's node on PATH. */
	node: z.string().optional(),
});
export type InstanceRecord = z.infer<typeof instanceRecord>;

export const appState = z.object({
	version: z.literal(1),
	live: deploymentId.nullable(),
	instances: z.array(instanceRecord),
});
export type AppState = z.infer<typeof appState>;

export const emptyState = (): AppState => ({ version: 1, live: null, instances: [] });

/** Reads state.json; a missing file is an app with nothing running, an unreadable one is an error. */
export async function readAppState(path: string): Promise<AppState> {
	const text = await readTextIfExists(path);
	if (text === null) return emptyState();
	try {
		return appState.parse(JSON.parse(text));
	} catch (error) {
		throw new DeployError("STATE_CORRUPT", `${path} cannot be read: ${(error as Error).message}`, "Fix or remove the file; running apps keep serving. After a removal, the next deploy (or rollback) of the app stops the instances the file listed once its release is live.");
	}
}

/** state.json holds the app's env (may be secrets): readable by the agent's user only. */
export function writeAppState(path: string, state: AppState): Promise<void> {
	return writeFileAtomic(path, `${JSON.stringify(state, null, 2)}\n`, 0o600);
}
