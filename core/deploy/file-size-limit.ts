import { formatSize } from "../protocol/size.js";
import { DeployError } from "../protocol/errors.js";

/** Files larger than the server accepts (DEPLOY_AGENT_MAX_OBJECT_MB): refused by path, before anything travels. */
export const FILE_TOO_LARGE = "FILE_TOO_LARGE";

/**
 * The files to upload that are over the server's limit, largest first. The agent would
 * refuse each too (OBJECT_TOO_LARGE) but knows only its id; the client knows its path
 * and how to leave it out. Pure: tested by equality.
 */
export function filesOverLimit(files: readonly { path: string; size: number }[], limit: number): { path: string; size: number }[] {
	return files.filter((file) => file.size > limit).sort((a, b) => b.size - a.size || (a.path < b.path ? -1 : 1));
}

export function fileTooLarge(over: readonly { path: string; size: number }[], limit: number): DeployError {
	const [first, ...rest] = over;
	if (!first) throw new Error("fileTooLarge needs a file");
	const more = rest.length > 0 ? ` (and ${rest.length} more: ${rest.slice(0, 3).map((f) => f.path).join(", ")}${rest.length > 3 ? ", …" : ""})` : "";
	return new DeployError(
		FILE_TOO_LARGE,
		`${first.path} is ${formatSize(first.size)}; the server accepts files up to ${formatSize(limit)} (DEPLOY_AGENT_MAX_OBJECT_MB)${more}. Nothing was uploaded or changed.`,
		`Leave it out of the deploy: add "${first.path}" to .deployignore (gitignore syntax; it also leaves out files git tracks), or to .gitignore if git should not keep it either, and fetch it at run time; or raise DEPLOY_AGENT_MAX_OBJECT_MB in the agent's environment on the server.`,
	);
}
