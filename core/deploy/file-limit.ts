import { TOO_MANY_FILES } from "../protocol/file-limit.js";
import { DeployError } from "../protocol/errors.js";

/**
 * The agent refuses a tree over its file limit (DEPLOY_AGENT_MAX_FILES) at the first
 * call that shows the count, before any file travels; its message names the count
 * and the limit. Only the client knows the project, so it says where the files are
 * and how to leave them out.
 */
export function withFileLimitHint(error: unknown, paths: readonly string[], inGit: boolean): unknown {
	if (!(error instanceof DeployError) || error.code !== TOO_MANY_FILES) return error;
	const heavy = heaviestFolders(paths);
	const where = heavy.length > 0 ? `Most of them are in ${heavy.map((f) => `${f.folder} (${f.files.toLocaleString("en-US")})`).join(", ")}. ` : "";
	const tracked = inGit ? "; unlike .gitignore it also leaves out files git tracks" : "";
	return new DeployError(error.code, error.message, `${where}List what the app does not need at run time in .deployignore (gitignore syntax${tracked}), or raise DEPLOY_AGENT_MAX_FILES in the agent's environment on the server.`, error.details);
}

/**
 * The folders holding the most files, at most `n`. When one folder holds nearly all
 * of them (a project inside src/), its subfolders are the useful answer: go down.
 * Pure: tested by equality.
 */
export function heaviestFolders(paths: readonly string[], n = 3): { folder: string; files: number }[] {
	let prefix = "";
	let outer: { folder: string; files: number }[] = [];
	for (;;) {
		const within = paths.filter((p) => p.startsWith(prefix));
		const counts = new Map<string, number>();
		for (const path of within) {
			const slash = path.indexOf("/", prefix.length);
			if (slash === -1) continue;
			const folder = path.slice(0, slash + 1);
			counts.set(folder, (counts.get(folder) ?? 0) + 1);
		}
		const ranked = [...counts].map(([folder, files]) => ({ folder, files })).sort((a, b) => b.files - a.files || (a.folder < b.folder ? -1 : 1));
		// Its files sit in the folder itself, not in subfolders: the folder is the answer.
		if (ranked.length === 0) return outer.slice(0, n);
		const [top] = ranked;
		if (top && top.files >= within.length * 0.9) {
			prefix = top.folder;
			outer = ranked;
			continue;
		}
		return ranked.slice(0, n);
	}
}
