import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { combinedDeployIgnore, DEPLOY_IGNORE_FILE } from "../protocol/deploy-ignore.js";

/** The project's own list of what never goes to the server; gitignore syntax, relative to the project folder. */
export { DEPLOY_IGNORE_FILE };

/**
 * Whether a project-relative path is left out by the project's .deployignore. Unlike
 * .gitignore it applies to tracked files too: what the repository keeps (fixtures,
 * design files, data sets) but the server never needs. No file: nothing is left out.
 * With `packageDir` (a workspace's package, relative to `root`), that folder's own
 * .deployignore applies too. The matching is core/protocol's, which the agent applies
 * to a pushed commit's tree.
 */
export async function deployIgnoreOf(root: string, packageDir?: string): Promise<DeployIgnore> {
	const own = await rulesIn(root);
	if (!packageDir) return { ignores: combinedDeployIgnore(own), rules: own ?? "" };
	// Issue 14: a workspace's package keeps its own .deployignore, relative to its folder, for the paths under it.
	const inPackage = await rulesIn(join(root, packageDir));
	return { ignores: combinedDeployIgnore(own, packageDir, inPackage), rules: JSON.stringify([own ?? "", packageDir, inPackage ?? ""]) };
}

export interface DeployIgnore {
	ignores(path: string): boolean;
	/** The rules' text: what a conclusion drawn with them is keyed by (repository-memo.ts). */
	rules: string;
}

async function rulesIn(folder: string): Promise<string | null> {
	try {
		return await readFile(join(folder, DEPLOY_IGNORE_FILE), "utf8");
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
		throw error;
	}
}
