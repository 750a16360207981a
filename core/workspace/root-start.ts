import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { DeployError } from "../protocol/errors.js";
import type { AppSpec } from "../protocol/spec.js";
import { type Workspace, workspacePackages } from "./find.js";

/**
 * Deploying a workspace's root itself: fine when the root runs (a start script, a
 * web command, a static folder, a Procfile, server.js or index.js), else the user
 * most likely meant one of its packages, so say which there are before anything is
 * uploaded (issue 14: "from the root, no start command").
 */
export async function checkWorkspaceRootRuns(workspace: Workspace, spec: AppSpec): Promise<void> {
	if (spec.processes.web?.command || spec.static) return;
	if (["Procfile", "server.js", "index.js"].some((name) => existsSync(join(workspace.root, name)))) return;
	const pkg = JSON.parse(await readFile(join(workspace.root, "package.json"), "utf8").catch(() => "{}")) as { scripts?: Record<string, unknown>; main?: unknown };
	if (typeof pkg.scripts?.start === "string" || typeof pkg.main === "string") return;
	const packages = await workspacePackages(workspace);
	const listed = packages.map((p) => `${p.path}${p.name ? ` (${p.name})` : ""}`).join(", ");
	throw new DeployError(
		"NO_START_COMMAND",
		`${workspace.root} is the root of a workspace (${workspace.declaredIn}) and has no start script of its own. Its packages: ${listed || "none found"}.`,
		`Run deploy in the package to deploy (cd ${packages[0]?.path ?? "packages/web"} && deploy), or set root: ${packages[0]?.path ?? "packages/web"} in the root's deploy.yaml.`,
	);
}
