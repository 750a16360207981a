import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import { type AppSpec, DeployError } from "../protocol/index.js";
import type { Workspace } from "../workspace/find.js";

export interface LoadedProject {
	dir: string;
	/** What is uploaded: the workspace root for a package of a workspace (issue 14), else `dir`. */
	sourceDir: string;
	/** The workspace the project is in or is the root of, when it is in one. */
	workspace?: Workspace;
	spec: AppSpec;
	/** The server named in deploy.yaml, if any. */
	server: string | undefined;
	warnings: string[];
}

/**
 * Reads and validates the project's config (deploy.yaml, else package.json) before
 * anything connects anywhere: a bad config is an error that changes nothing.
 */
export async function loadProject(dir: string | undefined, appOverride?: string): Promise<LoadedProject> {
	const root = resolve(dir ?? ".");
	// Said before the config is read: a folder that is not there is no deploy.yaml problem.
	if (!(await isDirectory(root))) {
		throw new DeployError("SOURCE_NOT_FOUND", `The project folder ${root} does not exist.`, "Give the path of the app's folder (the one with its package.json or deploy.yaml), or deploy from inside it.");
	}
	const { loadProjectConfig, toAppSpec } = await import("../config/index.js");
	const loaded = await loadProjectConfig(root);
	if (!loaded.ok) {
		const details = loaded.errors.map((error) => (error.path ? `${error.path}: ${error.message}` : error.message));
		throw new DeployError(
			"CONFIG_INVALID",
			`The project's configuration is not valid (${details.length} ${details.length === 1 ? "problem" : "problems"}):\n  ${details.join("\n  ")}`,
			"Fix deploy.yaml (the reference is docs/config.md), or run `deploy init` to write one.",
			details,
		);
	}
	const spec = toAppSpec(loaded.config);
	// --app passed the contract's appName (the api's only caller of this with one).
	if (appOverride !== undefined) spec.name = appOverride;
	const { sourceLayout } = await import("../workspace/resolve.js");
	const layout = await sourceLayout(root, loaded.config.root);
	if (layout.root) spec.root = layout.root;
	return { dir: root, sourceDir: layout.sourceDir, ...(layout.workspace ? { workspace: layout.workspace } : {}), spec, server: loaded.config.server, warnings: loaded.warnings };
}

async function isDirectory(path: string): Promise<boolean> {
	return (await stat(path).catch(() => null))?.isDirectory() === true;
}
