import { resolve } from "node:path";
import { appSpec } from "../../core/protocol/index.js";
import { describeDetection } from "../deploy/detect.js";
import { readReleaseFacts } from "../deploy/release-facts.js";

/**
 * `node agent.mjs detect <dir>`: what the agent would detect for the project, as
 * JSON on stdout. The CLI's `deploy init` runs it locally (no daemon) and writes the
 * result into deploy.yaml.
 */
export async function runDetect(dir: string | undefined): Promise<void> {
	const root = resolve(dir ?? ".");
	const spec = appSpec.parse({ name: "app" });
	const detection = describeDetection(spec, await readReleaseFacts(root));
	process.stdout.write(`${JSON.stringify(detection, null, 2)}\n`);
}
