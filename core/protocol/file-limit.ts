import { DeployError } from "./errors.js";

/** A deploy with more files than the server accepts (DEPLOY_AGENT_MAX_FILES): refused before anything travels. */
export const TOO_MANY_FILES = "TOO_MANY_FILES";

/** The agent's check, at its first sight of a deploy's file count (objects.missing, deploy). */
export function checkFileCount(files: number, limit: number): void {
	if (files <= limit) return;
	throw new DeployError(
		TOO_MANY_FILES,
		`This deploy has ${count(files)} files; the server accepts at most ${count(limit)} (DEPLOY_AGENT_MAX_FILES). Nothing was uploaded or changed.`,
		"Leave out what the app does not need at run time (.gitignore), or raise DEPLOY_AGENT_MAX_FILES in the agent's environment.",
	);
}

export function count(n: number): string {
	return n.toLocaleString("en-US");
}
