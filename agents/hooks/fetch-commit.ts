// Issue 18: a webhook's commit, fetched from the forge into a bare cache repository per app
// (`<home>/hooks/cache/<app>.git`): `git fetch --depth 1 <url> <sha>` brings that commit's
// tree and nothing of its history; commit-tree.ts and import-objects.ts then read it as
// they read a push's. One fetch per app at a time (git locks the shallow file).
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { DeployError } from "../../core/protocol/errors.js";
import { hookPaths } from "./store.js";

const running = new Map<string, Promise<unknown>>();

/** Fetches `commit` of `url` and answers the cache repository's path. */
export function fetchCommit(homeRoot: string, app: string, url: string, commit: string, sshCommand?: string): Promise<string> {
	const before = running.get(app) ?? Promise.resolve();
	const next = before.catch(() => undefined).then(() => fetchNow(homeRoot, app, url, commit, sshCommand));
	running.set(app, next);
	void next.finally(() => running.get(app) === next && running.delete(app)).catch(() => undefined);
	return next;
}

async function fetchNow(homeRoot: string, app: string, url: string, commit: string, sshCommand: string | undefined): Promise<string> {
	const repository = join(hookPaths(homeRoot).cache, `${app}.git`);
	const { simpleGit } = await import("simple-git");
	if (!existsSync(join(repository, "HEAD"))) {
		await mkdir(repository, { recursive: true, mode: 0o700 });
		await simpleGit({ baseDir: repository }).raw(["init", "--bare", "--quiet"]);
	}
	// No terminal prompt: a private repository without access fails at once instead of waiting.
	const git = simpleGit({ baseDir: repository, timeout: { block: 300_000 }, allowEnvironment: ["GIT_TERMINAL_PROMPT", "GIT_SSH_COMMAND"] }).env({
		PATH: process.env.PATH ?? "/usr/bin:/bin",
		HOME: process.env.HOME ?? "/",
		GIT_TERMINAL_PROMPT: "0",
		// An SSH repository is fetched with the hook's deploy key only (deploy-key.ts).
		...(sshCommand ? { GIT_SSH_COMMAND: sshCommand } : {}),
	});
	try {
		// `--` ends the options: the URL was checked (core/protocol/hooks.ts), and still cannot be taken for one.
		await git.raw(["fetch", "--quiet", "--no-tags", "--depth", "1", "--", url, commit]);
	} catch (error) {
		throw new DeployError("HOOK_FETCH_FAILED", `Could not fetch commit ${commit.slice(0, 12)} of ${url}: ${String((error as Error).message).trim().slice(0, 300)}`, "Check that the server can reach the repository (for a private one, that it has access), then redeliver the push from the forge.");
	}
	return repository;
}
