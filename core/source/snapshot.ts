import { realpath } from "node:fs/promises";
import { join } from "node:path";
import { DeployError } from "../protocol/errors.js";
import { manifestHash } from "../protocol/manifest.js";
import type { ManifestEntry } from "../protocol/spec.js";
import { blobEntry, cachedEntry, mapLimit, type SizedEntry } from "./blob.js";
import { type DeployIgnore, deployIgnoreOf } from "./deploy-ignore.js";
import { IgnoreStack } from "./ignore-rules.js";
import { type IndexVouch, type PendingVouch, startIndexVouch } from "./index-vouch.js";
import { KeptContents } from "./kept-contents.js";
import { cleanBranch, commitSubject } from "./commit-info.js";
import { objectReader } from "./object-reader.js";
import { findRepository, headBranch, headCommit, type Repository } from "./repository.js";
import { carryTrackedNote, commitMessageMemo, matchesHeadOf, trackedFilesOf } from "./repository-memo.js";
import { inPathOrder, mergedInPathOrder } from "./path-order.js";
import { openStatCache, type StatCache } from "./stat-cache.js";
import { untrackedFilesOf, untrackedUnchanged } from "./untracked-memo.js";
import { walkFiles, type WatchedPaths, watchedStat } from "./walk.js";

/** The working tree as it is, committed or not: what a deployment uploads. */
export interface SourceSnapshot {
	/** Every file, sorted by path; ids are git blob ids of the current content. */
	manifest: ManifestEntry[];
	/** The manifest's hash (core/protocol/manifest.ts): computed once, for the stat cache's note and the redeploy's diff. */
	manifestHash: string;
	/** How many files the manifest lists, and whether it lists one: known without building it (a no-change redeploy may never build it). */
	files: number;
	hasFile(path: string): boolean;
	/** HEAD's commit, with `-dirty` when the files differ from it; null outside git or before the first commit. */
	commit: string | null;
	/** Issue 14: the branch HEAD is on and the first line of its message, when there are such. */
	branch: string | null;
	message: string | null;
	/** The raw content of an object of the manifest (for a symlink, its target). */
	readObject(id: string): Promise<Buffer>;
	/** The content in chunks, for a large file (object-reader.ts). */
	readChunks(id: string, chunkBytes: number): AsyncIterable<Buffer>;
	/** Frees the small files' bytes kept from the snapshot's read for the upload (kept-contents.ts) once it is over. */
	dropKept(): void;
	sizeOf(id: string): number;
	pathOf(id: string): string;
}

/** Files hashed at once: enough to keep the disk busy, few enough to bound memory. */
const HASH_CONCURRENCY = 32;

/**
 * Snapshots the project in `dir`. Inside a git repository: the tracked files plus
 * the untracked ones .gitignore lets through, limited to `dir` when it is a
 * subfolder. Elsewhere: every file, minus what a .gitignore excludes. Never
 * .git or node_modules, nor what the project's .deployignore leaves out (and, for a
 * workspace uploaded for its package `packageDir`, what the package's own leaves out).
 * With a `statCacheDir`, files whose stat has not changed since the last snapshot are
 * not read.
 */
export async function snapshotSource(dir: string, options: { statCacheDir?: string; packageDir?: string | undefined } = {}): Promise<SourceSnapshot> {
	const { packageDir } = options;
	const root = await realpath(dir).catch(() => {
		throw new DeployError("SOURCE_NOT_FOUND", `The project folder ${dir} does not exist.`, "Run deploy from the project folder, or pass its path.");
	});
	const repo = await findRepository(root);
	// An unchanged file is known by its stat, an unchanged index by its own (stat-cache.ts): a redeploy of a large tree reads none of it again.
	const opening = options.statCacheDir ? openStatCache(options.statCacheDir, root) : undefined;
	// In a repository, git compares the tracked files with its index meanwhile (index-vouch.ts).
	const pending = repo ? startIndexVouch(repo, root, opening) : null;
	const deployIgnore = await deployIgnoreOf(root, packageDir);
	const cache = await opening;
	const kept = new KeptContents();
	// A tree git vouches for whole, as the last snapshot found it: its rows are the manifest, none of it looked at (rowsTakenWhole).
	const whole = repo && cache && pending && deployIgnore.rules === "" ? await rowsTakenWhole(repo, cache, pending) : null;
	const collected = whole ?? (await collectEntries(root, repo, cache, pending, deployIgnore, kept));
	let manifestList: ManifestEntry[] | undefined;
	const manifest = () => {
		manifestList ??= inPathOrder(
			collected.sized().map((found) => found.entry),
			(entry) => entry.path,
		);
		return manifestList;
	};
	// The same rows as last time are the same manifest: its hash (a 50,000-file tree's JSON hashed) is the one noted then.
	const digest = (cache?.sameRows() ? cache.recall("manifest", "rows") : null) ?? manifestHash(manifest());
	cache?.note("manifest", "rows", digest);

	let commit: string | null = null;
	let message: string | null = null;
	let branch: string | null = null;
	if (repo) {
		const head = await headCommit(repo);
		if (head) {
			const [same, text, onBranch] = await Promise.all([matchesHeadOf(repo, head, manifest, digest, deployIgnore, cache), commitMessageMemo(repo, head, cache), headBranch(repo)]);
			commit = same ? head : `${head}-dirty`;
			message = commitSubject(text);
			branch = cleanBranch(onBranch);
		}
	}
	await cache?.save();
	// The manifest built when first asked for: a no-change redeploy of a tree taken whole never asks (only its hash and length travel).
	return {
		get manifest() {
			return manifest();
		},
		manifestHash: digest,
		files: collected.files,
		hasFile: collected.has,
		commit,
		branch,
		message,
		...objectReader(root, collected.sized, kept),
	};
}

/** The snapshot's entries, and what is asked of them without building the manifest. */
interface Collected {
	sized(): SizedEntry[];
	files: number;
	has(path: string): boolean;
}

/** The files listed, and each one's entry: vouched for by git, or by its stat, or read and hashed. */
async function collectEntries(root: string, repo: Repository | null, cache: StatCache | undefined, pending: PendingVouch | null, deployIgnore: DeployIgnore, kept: KeptContents): Promise<Collected> {
	const found = repo ? await repositoryPaths(root, repo, cache) : { tracked: [], untracked: await walkFiles(root, "", IgnoreStack.empty()) };
	// In the manifest's order, which is the stat cache's: an unchanged tree is then asked about row after row.
	const paths = mergedInPathOrder(found.tracked, found.untracked).filter((path) => !deployIgnore.ignores(path));
	const vouch = (await pending?.settle(found.tracked, found.untracked)) ?? null;
	const sized = await entriesOf(root, paths, cache, vouch, kept);
	// The rows now exactly the tracked files (an entry for each, no other file), none differing from the index: the next snapshot may take them whole.
	if (vouch?.noneDiffer && sized.length === paths.length && found.untracked.length === 0 && deployIgnore.rules === "") vouch.noteWhole();
	return { sized: () => sized, files: sized.length, has: (path) => sized.some((found) => found.entry.path === path) };
}

/**
 * The last snapshot's rows as this one's entries, when git vouches for them whole
 * (index-vouch.ts) and no untracked file has joined them since (untracked-memo.ts).
 * Null otherwise: the files are listed and looked at.
 */
async function rowsTakenWhole(repo: Repository, cache: StatCache, pending: PendingVouch): Promise<Collected | null> {
	if (cache.recall("manifest", "rows") === null) return null;
	const untracked = untrackedUnchanged(cache, repo.prefix);
	if (untracked === null || untracked.length > 0 || !(await pending.wholeTree())) return null;
	await carryTrackedNote(repo, cache);
	const rows = cache.keepAll();
	let sized: SizedEntry[] | undefined;
	return {
		sized: () => {
			sized ??= rows.entries().map(({ path, mode, id, size }) => ({ entry: { path, mode, id }, size }));
			return sized;
		},
		files: rows.count,
		has: rows.has,
	};
}

/**
 * The entries of `paths`: those git and the stat cache vouch for first, in one synchronous
 * pass (a file git vouches for is not even lstat'ed), then the rest read and hashed.
 */
async function entriesOf(root: string, paths: string[], cache: StatCache | undefined, vouch: IndexVouch | null, kept: KeptContents): Promise<SizedEntry[]> {
	const sized: SizedEntry[] = [];
	const unread: string[] = [];
	for (const path of paths) {
		const row = vouch?.vouches(path) ? cache?.keep(path) : undefined;
		if (row) {
			sized.push({ entry: { path, mode: row.mode, id: row.id }, size: row.size });
			continue;
		}
		const known = cache ? cachedEntry(root, path, cache) : undefined;
		if (known) sized.push(known);
		else if (known === undefined) unread.push(path);
	}
	for (const read of await mapLimit(unread, HASH_CONCURRENCY, (path) => blobEntry(root, path, cache, kept))) if (read) sized.push(read);
	return sized;
}

/** Tracked files (even ignored ones, as git keeps them), and untracked files not ignored. */
async function repositoryPaths(root: string, repo: Repository, cache: StatCache | undefined): Promise<{ tracked: string[]; untracked: string[] }> {
	// What is read before the walk, stat'ed first: the untracked files are remembered while none of it changes (untracked-memo.ts).
	const watched: WatchedPaths = [];
	const watch = (path: string) => {
		if (cache) watched.push([path, watchedStat(path)]);
		return path;
	};
	watch(join(repo.gitdir, "index"));
	const tracked = trackedFilesOf(repo, cache);
	// Awaited below; a failure is reported there, not as an unhandled rejection meanwhile.
	tracked.catch(() => undefined);
	let rules = await IgnoreStack.empty().with(watch(join(repo.gitdir, "info", "exclude")), "");
	// The .gitignore files above the project apply to it too.
	const parents = repo.prefix.split("/").filter(Boolean);
	let ancestorIgnored = false;
	for (let depth = 0; depth <= parents.length - 1; depth++) {
		const base = parents.slice(0, depth).map((part) => `${part}/`).join("");
		rules = await rules.with(watch(join(repo.root, base, ".gitignore")), base);
		if (rules.ignores(base + parents[depth], true)) ancestorIgnored = true;
	}
	if (ancestorIgnored) return { tracked: await tracked, untracked: [] };
	// Untracked files are those the index does not list: no set of all the paths to build.
	const untracked = await untrackedFilesOf(root, repo.prefix, rules, tracked, watched, cache);
	return { tracked: await tracked, untracked };
}
