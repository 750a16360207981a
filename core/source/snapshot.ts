import { realpath } from "node:fs/promises";
import { join } from "node:path";
import { DeployError } from "../protocol/errors.js";
import type { ManifestEntry } from "../protocol/spec.js";
import { blobContent, blobEntry, blobId, mapLimit } from "./blob.js";
import { deployIgnoreOf } from "./deploy-ignore.js";
import { IgnoreStack } from "./ignore-rules.js";
import { cleanBranch, commitSubject } from "./commit-info.js";
import { commitMessageOf, findRepository, headBranch, headCommit, headFiles, type Repository, trackedFiles } from "./repository.js";
import { walkFiles } from "./walk.js";

/** The working tree as it is, committed or not: what a deployment uploads. */
export interface SourceSnapshot {
	/** Every file, sorted by path; ids are git blob ids of the current content. */
	manifest: ManifestEntry[];
	/** HEAD's commit, with `-dirty` when the files differ from it; null outside git or before the first commit. */
	commit: string | null;
	/** Issue 14: the branch HEAD is on and the first line of its message, when there are such. */
	branch: string | null;
	message: string | null;
	/** The raw content of an object of the manifest (for a symlink, its target). */
	readObject(id: string): Promise<Buffer>;
}

/** Files hashed at once: enough to keep the disk busy, few enough to bound memory. */
const HASH_CONCURRENCY = 32;

/**
 * Snapshots the project in `dir`. Inside a git repository: the tracked files plus
 * the untracked ones .gitignore lets through, limited to `dir` when it is a
 * subfolder. Elsewhere: every file, minus what a .gitignore excludes. Never
 * .git or node_modules, nor what the project's .deployignore leaves out (and, for a
 * workspace uploaded for its package `packageDir`, what the package's own leaves out).
 */
export async function snapshotSource(dir: string, packageDir?: string): Promise<SourceSnapshot> {
	const root = await realpath(dir).catch(() => {
		throw new DeployError("SOURCE_NOT_FOUND", `The project folder ${dir} does not exist.`, "Run deploy from the project folder, or pass its path.");
	});
	const repo = await findRepository(root);
	const deployIgnored = await deployIgnoreOf(root, packageDir);
	const found = repo ? await repositoryPaths(root, repo) : await walkFiles(root, "", IgnoreStack.empty());
	const paths = found.filter((path) => !deployIgnored(path));

	const entries = await mapLimit(paths, HASH_CONCURRENCY, (path) => blobEntry(root, path));
	const manifest = entries.filter((entry) => entry !== null).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));

	let commit: string | null = null;
	let message: string | null = null;
	let branch: string | null = null;
	if (repo) {
		const head = await headCommit(repo);
		if (head) {
			const [same, text, onBranch] = await Promise.all([matchesHead(repo, head, manifest, deployIgnored), commitMessageOf(repo, head), headBranch(repo)]);
			commit = same ? head : `${head}-dirty`;
			message = commitSubject(text);
			branch = cleanBranch(onBranch);
		}
	}
	return { manifest, commit, branch, message, readObject: objectReader(root, manifest) };
}

/** Tracked files (even ignored ones, as git keeps them) plus untracked files not ignored. */
async function repositoryPaths(root: string, repo: Repository): Promise<string[]> {
	let rules = await IgnoreStack.empty().with(join(repo.gitdir, "info", "exclude"), "");
	// The .gitignore files above the project apply to it too.
	const parents = repo.prefix.split("/").filter(Boolean);
	let ancestorIgnored = false;
	for (let depth = 0; depth <= parents.length - 1; depth++) {
		const base = parents.slice(0, depth).map((part) => `${part}/`).join("");
		rules = await rules.with(join(repo.root, base, ".gitignore"), base);
		if (rules.ignores(base + parents[depth], true)) ancestorIgnored = true;
	}
	const [tracked, untracked] = await Promise.all([trackedFiles(repo), ancestorIgnored ? [] : walkFiles(root, repo.prefix, rules)]);
	return [...new Set([...tracked, ...untracked])];
}

/** Whether the manifest is HEAD's files, less those .deployignore leaves out (leaving them out is no change). */
async function matchesHead(repo: Repository, head: string, manifest: ManifestEntry[], deployIgnored: (path: string) => boolean): Promise<boolean> {
	const committed = await headFiles(repo, head);
	for (const path of committed.keys()) if (deployIgnored(path)) committed.delete(path);
	if (committed.size !== manifest.length) return false;
	return manifest.every((entry) => committed.get(entry.path) === `${entry.mode} ${entry.id}`);
}

/**
 * Reads objects back for the upload. The content is hashed again: a file edited
 * since the snapshot would otherwise reach the server under the wrong id.
 */
function objectReader(root: string, manifest: ManifestEntry[]): (id: string) => Promise<Buffer> {
	const byId = new Map<string, ManifestEntry>();
	for (const entry of manifest) if (!byId.has(entry.id)) byId.set(entry.id, entry);
	return async (id) => {
		const entry = byId.get(id);
		if (!entry) throw new DeployError("SOURCE_OBJECT_UNKNOWN", `Object ${id} is not part of this snapshot.`);
		const content = await blobContent(join(root, ...entry.path.split("/")), entry.mode).catch(() => null);
		const actual = content && blobId(content);
		if (!content || actual !== id) {
			throw new DeployError("SOURCE_CHANGED", `${entry.path} changed while it was being deployed.`, "Run the deploy again once the files are saved.");
		}
		return content;
	};
}
