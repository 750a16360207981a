import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { DeployError } from "../protocol/errors.js";
import { findWorkspace, posixRelative, type Workspace, workspacePackages } from "./find.js";
import { matchesWorkspace } from "./patterns.js";

/** What a deploy uploads and which package of it is the app. */
export interface SourceLayout {
	/** The folder snapshotted: the workspace root in a workspace, else the project folder. */
	sourceDir: string;
	/** The app's package folder inside `sourceDir` (POSIX), when it is not `sourceDir` itself. */
	root?: string;
	workspace?: Workspace;
}

/**
 * Issue 14: a package of an npm, yarn or pnpm workspace needs its siblings and the
 * root's lockfile to install, so the deploy uploads the workspace root and names the
 * package in it: the folder the user is in, or deploy.yaml's `root:` (relative to
 * the folder of deploy.yaml). Outside a workspace nothing changes.
 */
export async function sourceLayout(dir: string, configuredRoot?: string): Promise<SourceLayout> {
	const workspace = await findWorkspace(dir);
	if (!workspace) {
		if (configuredRoot === undefined) return { sourceDir: dir };
		throw new DeployError(
			// A deploy.yaml key that cannot hold: a config error, as the schema's own (exit 2).
			"CONFIG_INVALID",
			`root: ${configuredRoot} names a workspace package, but ${dir} is not in a workspace (no package.json "workspaces", no pnpm-workspace.yaml).`,
			"Remove root: from deploy.yaml and run deploy in the app's own folder.",
		);
	}
	const root = posixRelative(workspace.root, resolve(dir, configuredRoot ?? "."));
	if (root === "") return { sourceDir: workspace.root, workspace };
	if (root.startsWith("..") || !(await isPackage(workspace, root))) {
		const packages = await workspacePackages(workspace);
		throw new DeployError(
			"CONFIG_INVALID",
			`root: ${configuredRoot} is not a package of the workspace at ${workspace.root} (${workspace.declaredIn}).`,
			`Set root: to one of its packages: ${packages.map((p) => p.path).join(", ") || "none found"}.`,
		);
	}
	return { sourceDir: workspace.root, root, workspace };
}

async function isPackage(workspace: Workspace, folder: string): Promise<boolean> {
	return matchesWorkspace(workspace.patterns, folder) && existsSync(join(workspace.root, folder, "package.json"));
}
