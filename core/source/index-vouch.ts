// The snapshot's fast path in a git repository: git says which tracked files differ
// from its index, and a file that does not is the blob the index names. A redeploy of
// 50,000 unchanged files then need not lstat each of them on the CLI's thread (~0.5 s
// with Node's Stats objects and their garbage): `git diff-files` does the same lstats
// in C, on threads, in another process, while the CLI reads its cache.
//
// What is trusted, and why it holds. The stat cache's rows name the content each file
// had (stat-cache.ts). A row may be reused without a look at the file when
//   (1) git reports no difference between the file and its index entry: its bytes are
//       that entry's blob, given the settings git-plumbing.ts forces and no attribute
//       files (which could convert the bytes on their way to the index), and
//   (2) the row names that same blob and mode.
// (2) is checked against `git ls-files -s` once for an index, then carried: after a
// snapshot, every tracked file git did not report has a row naming its index entry
// (reused by (2), or read and hashed now from bytes that are that entry's blob). So the
// cache notes, under the index's stat, only the paths git reported; while the index
// keeps that stat, a row of any other path still names its entry.
//
// One step further: when a snapshot's rows were exactly the tracked files and git
// reported none, it notes so ("whole"). While the index keeps its stat and git again
// reports nothing, those rows are the tree's tracked files as they are, and a snapshot
// with no untracked file and no .deployignore takes them whole (snapshot.ts).
import fs from "node:fs";
import { join, resolve } from "node:path";
import type { StatCache } from "./stat-cache.js";
import { gitOutput } from "./git-plumbing.js";
import type { Repository } from "./repository.js";

/** What git vouches for: tracked files whose stat cache row may be reused as it is. */
export interface IndexVouch {
	vouches(path: string): boolean;
	/** Whether git reported no tracked file: after this snapshot, the row of every tracked file names its index entry. */
	noneDiffer: boolean;
	/**
	 * Notes that this snapshot's rows are exactly the tracked files (with none differing,
	 * each row names its index entry): the next snapshot may take them whole
	 * (`PendingVouch.wholeTree`) while the index is the same and git reports nothing.
	 */
	noteWhole(): void;
}

export interface PendingVouch {
	/** Once the tracked and untracked files are known: what git vouches for, or null when it vouches for nothing this time. */
	settle(tracked: readonly string[], untracked: readonly string[]): Promise<IndexVouch | null>;
	/**
	 * Whether the last snapshot's rows are the tree as it is, taken whole: the last snapshot
	 * noted them so (`noteWhole`), the index is the same, and git reports no difference.
	 * The caller checks that no untracked file joined them.
	 */
	wholeTree(): Promise<boolean>;
}

const NOTE = "vouch";
const WHOLE = "whole";

/**
 * Starts git on the project at `root` (in `repo`), so that it runs while the snapshot
 * opens its cache and lists the files. Null without a cache (nothing to reuse) or an
 * index (nothing to vouch with).
 */
export function startIndexVouch(repo: Repository, root: string, opening: Promise<StatCache> | undefined): PendingVouch | null {
	if (!opening) return null;
	const indexFile = join(repo.gitdir, "index");
	const before = indexStat(indexFile);
	if (!before) return null;
	const key = `${repo.prefix}\0${before.key}`;
	// Paths relative to the project (--relative), NUL-separated; only the project's files looked at (`-- .`: in a large
	// monorepo, not the whole index); submodules are never deployed (their folders are no files).
	const reported = gitOutput(repo, root, ["diff-files", "--name-only", "-z", "--relative", "--ignore-submodules", "--", "."]);
	// The index's entries, to check (2), only when no earlier snapshot carried it for this index.
	const noting = opening.then((cache) => ({ cache, noted: cache.recall(NOTE, key, before) }));
	const listed = noting.then(({ noted }) => (noted === null ? gitOutput(repo, root, ["ls-files", "-s", "-v", "-z"]) : null));
	// Awaited in settle; a failure to open the cache is the snapshot's to report.
	noting.catch(() => undefined);
	listed.catch(() => undefined);
	/** git's answer, when it read the index whose stat was taken first (a rename writes a new one, so the same stat is the same index). */
	const differingPaths = async () => {
		const differing = await reported;
		return differing === null || indexStat(indexFile)?.key !== before.key ? null : splitNul(differing.toString("utf8"));
	};
	return {
		async settle(tracked, untracked) {
			const [changed, entries, { cache, noted }] = await Promise.all([differingPaths(), listed, noting]);
			if (changed === null) return null;
			const folders = foldersOf(tracked);
			if (folders === null || attributeFilesIn(repo, root, folders)) return null;
			let unknown: Set<string>;
			if (noted !== null) unknown = new Set(splitNul(noted));
			else {
				const index = entries && indexEntries(entries.toString("utf8"));
				if (!index) return null;
				unknown = rowsNotNaming(cache, index);
			}
			cache.note(NOTE, key, changed.join("\0"));
			const skipped = new Set([...changed, ...untracked]);
			return {
				vouches: (path) => !skipped.has(path) && !unknown.has(path),
				noneDiffer: changed.length === 0,
				noteWhole: () => cache.note(WHOLE, key, folders.join("\0")),
			};
		},
		async wholeTree() {
			const { cache, noted } = await noting;
			const folders = cache.recall(WHOLE, key, before);
			if (noted !== "" || folders === null) return false;
			const changed = await differingPaths();
			const list = folders === "" ? [] : folders.split("\0");
			if (changed === null || changed.length > 0 || attributeFilesIn(repo, root, list)) return false;
			cache.note(NOTE, key, "");
			cache.note(WHOLE, key, folders);
			return true;
		},
	};
}

/** The index file's stat, as a key and in the form the stat cache's racy check takes. */
function indexStat(file: string): { key: string; mtimeMs: number; ctimeMs: number } | null {
	const stats = fs.lstatSync(file, { throwIfNoEntry: false });
	return stats ? { key: `${stats.size}:${stats.mtimeMs}:${stats.ctimeMs}:${stats.ino}`, mtimeMs: stats.mtimeMs, ctimeMs: stats.ctimeMs } : null;
}

function splitNul(text: string): string[] {
	return text === "" ? [] : text.split("\0").filter(Boolean);
}

/**
 * `git ls-files -s -v -z` as path -> "mode id"; null when an entry is one git would not
 * compare with the file (assume-unchanged, skip-worktree: a tag other than H), is
 * unmerged, or names a SHA-256 object (the manifest's ids are SHA-1).
 */
function indexEntries(text: string): Map<string, string> | null {
	const entries = new Map<string, string>();
	// "H 100644 <40 hex> 0\t<path>\0"
	for (let at = 0; at < text.length; ) {
		const end = text.indexOf("\0", at);
		if (end < 0) return null;
		if (text[at] !== "H" || text[at + 8] !== " " || text[at + 49] !== " " || text[at + 50] !== "0" || text[at + 51] !== "\t") return null;
		entries.set(text.slice(at + 52, end), `${text.slice(at + 2, at + 8)} ${text.slice(at + 9, at + 49)}`);
		at = end + 1;
	}
	return entries;
}

/** Tracked paths whose row is missing or names another blob or mode than the index: (2) does not hold for them. */
function rowsNotNaming(cache: StatCache, index: Map<string, string>): Set<string> {
	const unknown = new Set<string>();
	for (const [path, entry] of index) {
		const row = cache.peek(path);
		if (!row || `${row.mode} ${row.id}` !== entry) unknown.add(path);
	}
	return unknown;
}

/**
 * The project's folders that hold tracked files, and those above them in it ("" is the
 * project's own): where a `.gitattributes` would apply to a tracked file. Null when a
 * tracked file is one (git falls back to the index's copy when the file is gone).
 */
function foldersOf(tracked: readonly string[]): string[] | null {
	const folders = new Set<string>([""]);
	let last = "";
	for (const path of tracked) {
		const slash = path.lastIndexOf("/");
		if (path.endsWith(".gitattributes") && path.length - slash - 1 === ".gitattributes".length) return null;
		const folder = slash < 0 ? "" : path.slice(0, slash);
		if (folder === last) continue;
		last = folder;
		// The folder and those above it in the project, up to one already seen.
		for (let at = folder; at !== "" && !folders.has(at); at = at.slice(0, Math.max(0, at.lastIndexOf("/")))) folders.add(at);
	}
	return [...folders];
}

/**
 * Whether an attribute file could apply to the project's files: a `.gitattributes` in
 * one of `folders`, in a folder above the project, or the repository's info/attributes.
 * Their filters, `text` and `eol` change bytes on the way into the index, so git's
 * "unchanged" would not be the snapshot's.
 */
function attributeFilesIn(repo: Repository, root: string, folders: readonly string[]): boolean {
	const candidates = [join(commonDir(repo), "info", "attributes")];
	const above = repo.prefix.split("/").filter(Boolean);
	for (let depth = 0; depth < above.length; depth++) candidates.push(join(repo.root, ...above.slice(0, depth), ".gitattributes"));
	for (const folder of folders) candidates.push(join(root, folder, ".gitattributes"));
	return candidates.some((path) => fs.existsSync(path));
}

/** The repository's common folder (a linked worktree's git directory names it in `commondir`): where info/attributes is. */
function commonDir(repo: Repository): string {
	try {
		const named = fs.readFileSync(join(repo.gitdir, "commondir"), "utf8").trim();
		return named ? resolve(repo.gitdir, named) : repo.gitdir;
	} catch {
		return repo.gitdir;
	}
}
