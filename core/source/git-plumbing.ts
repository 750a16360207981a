// The git executable, asked what it knows of the working tree, for the snapshot's fast
// path (index-vouch.ts). Optional by design: a machine without git, or a git that
// fails, answers null and the snapshot looks at every file itself. node:child_process
// rather than execa: this runs on every deploy, and execa's loading showed at start-up.
import { execFile } from "node:child_process";
import { devNull } from "node:os";
import type { Repository } from "./repository.js";

/**
 * Settings that make git's "this file is unchanged" mean what the snapshot means: the
 * bytes on disk are the blob the index names. Without them a user's configuration can
 * make git look past a difference the snapshot would see: line endings converted
 * (autocrlf, and the global attributes file, whose filters and `text` apply on the way
 * in), symlinks or execute bits not trusted, a weaker stat check, a file-system monitor
 * that answers instead of lstat. What the repository's own attribute files say is
 * checked by the caller.
 */
const STRICT = [
	["core.autocrlf", "false"],
	["core.symlinks", "true"],
	["core.filemode", "true"],
	["core.trustctime", "true"],
	["core.checkStat", "default"],
	["core.fsmonitor", "false"],
	["core.attributesFile", devNull],
].flatMap(([key, value]) => ["-c", `${key}=${value}`]);

/** The caller's environment, less what would point git at another repository, index or attribute source, and what would make it write. */
function gitEnvironment(): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {};
	for (const [name, value] of Object.entries(process.env)) if (!name.startsWith("GIT_") || KEPT_VARIABLES.has(name)) env[name] = value;
	// The system-wide attributes file too; and no opportunistic index refresh (a write, which would change the index's stat).
	return { ...env, GIT_ATTR_NOSYSTEM: "1", GIT_OPTIONAL_LOCKS: "0" };
}

/** Variables that say where git's own configuration is, which the user may rely on; every other GIT_ variable is dropped. */
const KEPT_VARIABLES = new Set(["GIT_CONFIG_GLOBAL", "GIT_CONFIG_NOSYSTEM", "GIT_CONFIG_SYSTEM", "GIT_EXEC_PATH"]);

/**
 * Runs a read-only git command on `repo` in `cwd` (the project's folder: paths come back
 * relative to it) and resolves to its standard output; null when git is missing,
 * fails, or is stopped by `signal`.
 */
export function gitOutput(repo: Repository, cwd: string, args: readonly string[], signal?: AbortSignal): Promise<Buffer | null> {
	const argv = [`--git-dir=${repo.gitdir}`, `--work-tree=${repo.root}`, ...STRICT, ...args];
	return new Promise((resolve) => {
		try {
			execFile("git", argv, { cwd, env: gitEnvironment(), encoding: "buffer", maxBuffer: 1024 * 1024 * 1024, windowsHide: true, ...(signal ? { signal } : {}) }, (error, stdout) => resolve(error ? null : stdout));
		} catch {
			resolve(null);
		}
	});
}
