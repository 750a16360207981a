import { readFile } from "node:fs/promises";
import { join } from "node:path";
import ignore from "ignore";

/** The project's own list of what never goes to the server; gitignore syntax, relative to the project folder. */
export const DEPLOY_IGNORE_FILE = ".deployignore";

/**
 * Whether a project-relative path is left out by the project's .deployignore. Unlike
 * .gitignore it applies to tracked files too: what the repository keeps (fixtures,
 * design files, data sets) but the server never needs. No file: nothing is left out.
 * With `packageDir` (a workspace's package, relative to `root`), that folder's own
 * .deployignore applies too.
 */
export async function deployIgnoreOf(root: string, packageDir?: string): Promise<DeployIgnore> {
	const own = await rulesIn(root);
	if (!packageDir) return own;
	// Issue 14: a workspace's package keeps its own .deployignore, relative to its folder, for the paths under it.
	const prefix = `${packageDir}/`;
	const inPackage = await rulesIn(join(root, packageDir));
	return {
		ignores: (path) => own.ignores(path) || (path.startsWith(prefix) && inPackage.ignores(path.slice(prefix.length))),
		rules: JSON.stringify([own.rules, packageDir, inPackage.rules]),
	};
}

export interface DeployIgnore {
	ignores(path: string): boolean;
	/** The rules' text: what a conclusion drawn with them is keyed by (repository-memo.ts). */
	rules: string;
}

async function rulesIn(folder: string): Promise<DeployIgnore> {
	let text: string;
	try {
		text = await readFile(join(folder, DEPLOY_IGNORE_FILE), "utf8");
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === "ENOENT") return { ignores: () => false, rules: "" };
		throw error;
	}
	const rules = ignore().add(text);
	return { ignores: (path) => rules.ignores(path), rules: text };
}
