import { resolve } from "node:path";
import { appSpec } from "../../core/protocol/index.js";
import { describeDetection } from "./plan.js";
import { readReleaseFacts } from "./release-facts.js";

/**
 * `node agent.mjs detect <dir>`: what the agent would detect for the project, as
 * JSON on stdout (with `--root <package>`, for that package of the workspace at `dir`). The CLI's `deploy init` runs it locally (no daemon) and writes the
 * result into deploy.yaml.
 */
export async function runDetect(dir: string | undefined, root?: string): Promise<void> {
	const folder = resolve(dir ?? ".");
	// Issue 14: `--root packages/web`: `dir` is a workspace's root and the app that package of it.
	const spec = appSpec.parse({ name: "app", ...(root ? { root } : {}) });
	const detection = describeDetection(spec, await readReleaseFacts(folder, spec.root));
	process.stdout.write(`${JSON.stringify(detection, null, 2)}\n`);
}
