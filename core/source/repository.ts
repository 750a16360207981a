import fs, { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { ALWAYS_SKIPPED, isAlwaysSkipped } from "./walk.js";

type Git = typeof import("isomorphic-git").default;

/** isomorphic-git (300 kB), loaded only for a folder inside a repository: a deploy from elsewhere never needs it. */
export async function loadGit(): Promise<Git> {
	return (await import("isomorphic-git")).default;
}

/** The git repository a project folder lives in. */
export interface Repository {
	/** The working tree's root. */
	root: string;
	/** The git directory (usually root/.git; elsewhere for worktrees and submodules). */
	gitdir: string;
	/** The project's place in the repository: "" or a POSIX path with a trailing slash. */
	prefix: string;
}

/** The repository holding `dir` (which must be a real path), or null outside git. */
export async function findRepository(dir: string): Promise<Repository | null> {
	// The question isomorphic-git's findRoot answers (a `.git` here or above), asked first without loading it.
	if (!hasDotGitAbove(dir)) return null;
	const git = await loadGit();
	let root: string;
	try {
		root = await git.findRoot({ fs, filepath: dir });
	} catch {
		return null;
	}
	const rel = relative(root, dir);
	const prefix = rel === "" ? "" : `${rel.split(sep).join("/")}/`;
	return { root, gitdir: await gitdirOf(root), prefix };
}

function hasDotGitAbove(dir: string): boolean {
	for (let at = dir; ; at = dirname(at)) {
		if (existsSync(join(at, ".git"))) return true;
		if (dirname(at) === at) return false;
	}
}

/** A `.git` file (worktree, submodule) says where the git directory is. */
async function gitdirOf(root: string): Promise<string> {
	const dotgit = join(root, ".git");
	if (fs.statSync(dotgit).isDirectory()) return dotgit;
	const match = /^gitdir:\s*(.+?)\s*$/m.exec(await readFile(dotgit, "utf8"));
	if (!match) return dotgit;
	return isAbsolute(match[1]!) ? match[1]! : resolve(root, match[1]!);
}

/** HEAD's commit id; null before the first commit. */
export async function headCommit(repo: Repository): Promise<string | null> {
	const git = await loadGit();
	try {
		return await git.resolveRef({ fs, dir: repo.root, gitdir: repo.gitdir, ref: "HEAD" });
	} catch {
		return null;
	}
}

/** The commit's message as git stores it; null when it cannot be read (a shallow clone's missing object). */
export async function commitMessageOf(repo: Repository, commit: string): Promise<string | null> {
	const git = await loadGit();
	try {
		return (await git.readCommit({ fs, dir: repo.root, gitdir: repo.gitdir, oid: commit })).commit.message;
	} catch {
		return null;
	}
}

/** The branch HEAD is on (`feature/login`); null on a detached HEAD. */
export async function headBranch(repo: Repository): Promise<string | null> {
	const git = await loadGit();
	try {
		return (await git.currentBranch({ fs, dir: repo.root, gitdir: repo.gitdir, fullname: false })) ?? null;
	} catch {
		return null;
	}
}

/** Files in the index under the project, relative to it. */
export async function trackedFiles(repo: Repository): Promise<string[]> {
	const git = await loadGit();
	const all = await git.listFiles({ fs, dir: repo.root, gitdir: repo.gitdir });
	return all.filter((path) => path.startsWith(repo.prefix)).map((path) => path.slice(repo.prefix.length)).filter((path) => !isAlwaysSkipped(path));
}

/** HEAD's files under the project as `path -> "mode id"`, to tell whether the working tree differs. */
export async function headFiles(repo: Repository, commit: string): Promise<Map<string, string>> {
	const git = await loadGit();
	const files = new Map<string, string>();
	const cache = {};
	const visit = async (oid: string, filepath: string | undefined, base: string): Promise<void> => {
		const { tree } = await git.readTree({ fs, dir: repo.root, gitdir: repo.gitdir, oid, cache, ...(filepath ? { filepath } : {}) });
		for (const entry of tree) {
			if (ALWAYS_SKIPPED.has(entry.path)) continue;
			if (entry.type === "tree") await visit(entry.oid, undefined, `${base}${entry.path}/`);
			else if (entry.type === "blob") files.set(`${base}${entry.path}`, `${entry.mode} ${entry.oid}`);
		}
	};
	try {
		await visit(commit, repo.prefix.replace(/\/$/, "") || undefined, "");
	} catch (error) {
		// The project folder is not in HEAD yet: every file of it is a change.
		if ((error as { code?: string }).code === "NotFoundError") return files;
		throw error;
	}
	return files;
}
