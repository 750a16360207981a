import { realpath } from "node:fs/promises";
import { findRepository, headBranch } from "./repository.js";

/**
 * The branch the project's working tree is on (`feature/login`), read from HEAD with
 * isomorphic-git (no git binary needed). Null outside git and on a detached HEAD:
 * such a deploy goes to production, as it always did.
 */
export async function currentBranch(dir: string): Promise<string | null> {
	const root = await realpath(dir).catch(() => null);
	if (!root) return null;
	const repo = await findRepository(root);
	return repo ? headBranch(repo) : null;
}
