import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { InitInput, InitResult } from "../api/types.js";
import { DeployError } from "../protocol/index.js";

const NOTE = [
	"# Written by `deploy init` from what the server's agent detects in this folder:",
	"# change a key to override it; delete it to have it detected again at each deploy.",
];

/**
 * `deploy init`: runs the agent's detection on the folder, writes it down in
 * deploy.yaml, and says what it saw. Never overwrites a deploy.yaml without `force`.
 */
export async function initProject(input: InitInput): Promise<InitResult> {
	const dir = resolve(input.dir ?? ".");
	const path = join(dir, "deploy.yaml");
	if (existsSync(path) && !input.force) {
		throw new DeployError("CONFIG_EXISTS", `${path} already exists.`, "Edit it, or run `deploy init --force` to write it anew.");
	}
	const { loadProjectConfig, renderDeployYaml } = await import("../config/index.js");
	const loaded = await loadProjectConfig(dir, { ignoreDeployYaml: true });
	if (!loaded.ok) {
		throw new DeployError("CONFIG_INVALID", loaded.errors.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message)).join("\n"), "Run `deploy init` in the project folder, or pass its path.");
	}
	const { detectProject } = await import("./detect.js");
	const { describeDetected, initConfig, initNote, workspaceRootNote } = await import("./init-plan.js");
	const { sourceLayout } = await import("../workspace/resolve.js");
	const layout = await sourceLayout(dir);
	const detection = await detectProject(layout.sourceDir, layout.root);
	// At a workspace's root, the user most likely means one of its packages: say which there are.
	const packages = layout.workspace && !layout.root ? (await (await import("../workspace/find.js")).workspacePackages(layout.workspace)).map((p) => p.path) : [];
	await writeFile(path, renderDeployYaml(initConfig(loaded.config, detection), [...NOTE, ...initNote(detection), ...workspaceRootNote(packages)]));
	return { path, app: loaded.config.app, detected: describeDetected(loaded.config.app, detection), detection };
}
