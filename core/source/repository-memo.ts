import { createHash } from "node:crypto";
import type { Stats } from "node:fs";
import { lstat } from "node:fs/promises";
import { join } from "node:path";
import type { ManifestEntry } from "../protocol/spec.js";
import type { DeployIgnore } from "./deploy-ignore.js";
import { commitMessageOf, headFiles, type Repository, trackedFiles } from "./repository.js";
import type { StatCache } from "./stat-cache.js";

// What a snapshot concludes from the repository, remembered in the stat cache so that
// an unchanged repository is not read again: listing the index and walking HEAD's
// trees cost a redeploy of 50,000 files most of a second. Each conclusion is keyed by
// everything it depends on; a different key is a fresh look.

/**
 * Files in the index under the project (repository.ts trackedFiles), remembered by
 * the stat of the index file: git rewrites it (rename of a new file) on every change.
 * Its stat is taken before it is read, and trusted only when it was already so
 * RACY_MS before the cache was written, as for any file of the tree.
 */
export async function trackedFilesOf(repo: Repository, cache: StatCache | undefined): Promise<string[]> {
	const stats = cache ? await lstat(join(repo.gitdir, "index")).catch(() => null) : null;
	if (!cache || !stats) return trackedFiles(repo);
	const key = trackedKey(repo, stats);
	const known = cache.recall("tracked", key, stats);
	// NUL separates them: the one character a git path cannot hold.
	const tracked = known === null ? await trackedFiles(repo) : known === "" ? [] : known.split("\0");
	// The recalled text noted again as it is: joining 50,000 paths again only to find the same text cost ~20 ms.
	cache.note("tracked", key, known ?? tracked.join("\0"));
	return tracked;
}

/** The files in the index noted again as they were, unread, for a snapshot that takes its rows whole (snapshot.ts): the next one may need them. */
export async function carryTrackedNote(repo: Repository, cache: StatCache): Promise<void> {
	const stats = await lstat(join(repo.gitdir, "index")).catch(() => null);
	if (!stats) return;
	const key = trackedKey(repo, stats);
	const known = cache.recall("tracked", key, stats);
	if (known !== null) cache.note("tracked", key, known);
}

/** The index's stat, which the note of its files is valid for. */
function trackedKey(repo: Repository, stats: Stats): string {
	return `${repo.prefix}\0${stats.size}:${stats.mtimeMs}:${stats.ctimeMs}:${stats.ino}`;
}

/**
 * Whether the manifest is HEAD's files, less those .deployignore leaves out (leaving
 * them out is no change). Remembered by HEAD's commit, the manifest's digest and
 * the .deployignore rules: together they decide the answer.
 */
export async function matchesHeadOf(repo: Repository, head: string, manifest: () => readonly ManifestEntry[], digest: string, deployIgnore: DeployIgnore, cache: StatCache | undefined): Promise<boolean> {
	const key = cache ? headKey(repo, head, digest, deployIgnore) : "";
	const known = cache?.recall("head", key) ?? null;
	const same = known === null ? await matchesHead(repo, head, manifest(), deployIgnore) : known === "same";
	cache?.note("head", key, same ? "same" : "dirty");
	return same;
}

/** The commit's message, remembered by its id (a commit never changes): reading it can mean parsing the index of a pack of 50,000 objects. */
export async function commitMessageMemo(repo: Repository, commit: string, cache: StatCache | undefined): Promise<string | null> {
	const message = cache?.recall("message", commit) ?? (await commitMessageOf(repo, commit));
	if (message !== null) cache?.note("message", commit, message);
	return message;
}

async function matchesHead(repo: Repository, head: string, manifest: readonly ManifestEntry[], deployIgnore: DeployIgnore): Promise<boolean> {
	const committed = await headFiles(repo, head);
	for (const path of committed.keys()) if (deployIgnore.ignores(path)) committed.delete(path);
	if (committed.size !== manifest.length) return false;
	return manifest.every((entry) => committed.get(entry.path) === `${entry.mode} ${entry.id}`);
}

/** `digest` is the manifest's hash (core/protocol/manifest.ts), which the snapshot computes once for the redeploy's diff too: a hash update per entry here cost 0.1 s for 50,000 files. */
function headKey(repo: Repository, head: string, digest: string, deployIgnore: DeployIgnore): string {
	return createHash("sha1").update(JSON.stringify([head, repo.prefix, deployIgnore.rules, digest])).digest("hex");
}
