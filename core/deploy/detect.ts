import { execa } from "execa";
import * as z from "zod";
import { agentBundle } from "../agent-bundle.js";
import type { Detection } from "../api/types.js";
import { DeployError } from "../protocol/index.js";

/**
 * What the agent detects for a project folder, as `node agent.mjs detect <dir>`
 * prints it. Validated here: it crosses a process boundary.
 */
export const detection = z.object({
	framework: z.string().nullable(),
	packageManager: z.enum(["npm", "pnpm", "yarn"]),
	install: z.string().nullable(),
	build: z.string().nullable(),
	processes: z.record(z.string(), z.string()),
	static: z.object({ dir: z.string(), spa: z.boolean() }).nullable(),
}) satisfies z.ZodType<Detection>;

/**
 * Runs the agent's own detection on a local folder (with `root`, a workspace's root and its package): the bundle the servers run, so
 * `deploy init` writes down exactly what a deploy would do (one implementation).
 */
export async function detectProject(dir: string, root?: string): Promise<Detection> {
	const bundle = agentBundle();
	// Issue 14: a workspace's package is detected as the server sees it: in its workspace, installed at the root.
	const run = await execa(process.execPath, [bundle.path, "detect", dir, ...(root ? ["--root", root] : [])], { reject: false, timeout: 60_000 });
	if (run.exitCode !== 0) throw agentFailure(run.stderr, run.timedOut);
	let json: unknown;
	try {
		json = JSON.parse(run.stdout);
	} catch {
		throw new DeployError("DETECT_FAILED", "The agent's detection printed something that is not JSON.", "Run `npm run build` so dist/agent.mjs is current.", [run.stdout.slice(0, 500)]);
	}
	const parsed = detection.safeParse(json);
	if (!parsed.success) {
		throw new DeployError("DETECT_FAILED", `The agent's detection is not in the expected form: ${parsed.error.issues[0]?.path.join(".")}: ${parsed.error.issues[0]?.message}`, "Run `npm run build` so dist/agent.mjs is current.");
	}
	return parsed.data;
}

/** The agent prints `deploy-agent: CODE: message`, then the hint: kept as the agent's own error. */
function agentFailure(stderr: string, timedOut: boolean): DeployError {
	if (timedOut) return new DeployError("DETECT_FAILED", "Detecting the framework took more than a minute.", "Check that the folder is a project folder, not a home or a disk root.");
	const [first = "", ...rest] = stderr.trim().split("\n");
	const match = /^deploy-agent: ([A-Z_]+): (.*)$/.exec(first);
	if (match) return new DeployError(match[1]!, match[2]!, rest[0] || "Fix the project and run `deploy init` again.", rest.slice(1));
	return new DeployError("DETECT_FAILED", `Detection failed: ${first || "the agent ended without a word"}`, "Run `npm run build` so dist/agent.mjs is current, then try again.");
}
