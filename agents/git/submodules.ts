// Issue 18: a commit's submodules, as its deploy takes them. The commit pins each one's
// commit (a gitlink in its tree); `.gitmodules` in that same commit says where it lives.
// Pure: which submodule is fetched from where, or the error that names the one that
// cannot be. A relative URL (`../lib.git`) is resolved against the repository the commit
// came from, as git does; a push has none, so there it must be absolute. Every URL passes
// the rule of a hook's repository (core/protocol/hooks.ts): never a local path on the
// server, an option, or one carrying credentials.
import { posix } from "node:path";
import { DeployError } from "../../core/protocol/errors.js";
import { repositoryUrl } from "../../core/protocol/hooks.js";
import type { Gitlink } from "./commit-tree.js";

export interface Submodule {
	path: string;
	url: string;
	commit: string;
}

/** `git config -z --list` of .gitmodules (`key\nvalue\0` each) -> each submodule's path and url, by path. */
export function parseModules(listing: string): Map<string, string> {
	const byName = new Map<string, { path?: string; url?: string }>();
	for (const item of listing.split("\0")) {
		const newline = item.indexOf("\n");
		if (newline < 0) continue;
		const key = item.slice(0, newline);
		const match = /^submodule\.(.+)\.(path|url)$/.exec(key);
		if (!match) continue;
		const entry = byName.get(match[1]!) ?? {};
		entry[match[2] as "path" | "url"] = item.slice(newline + 1);
		byName.set(match[1]!, entry);
	}
	const byPath = new Map<string, string>();
	for (const { path, url } of byName.values()) if (path && url) byPath.set(path, url);
	return byPath;
}

/** Each gitlink with the URL to fetch it from; `base`: the URL of the repository the commit came from (null for a push). */
export function planSubmodules(gitlinks: readonly Gitlink[], urls: ReadonlyMap<string, string>, base: string | null): Submodule[] {
	return gitlinks.map(({ path, commit }) => {
		const written = urls.get(path);
		if (!written) throw submoduleError(path, "has no url in the commit's .gitmodules", "Add it with `git submodule add <url> <path>` (which writes .gitmodules), commit, and push again.");
		const url = resolveUrl(written, base, path);
		const checked = repositoryUrl.safeParse(url);
		if (!checked.success) throw submoduleError(path, `has the URL ${url}, which the server may not fetch: it ${checked.error.issues[0]?.message ?? "is not a repository URL"}`, "Give it an https://, git:// or SSH URL the server can reach, in .gitmodules.");
		return { path, url, commit };
	});
}

function resolveUrl(url: string, base: string | null, path: string): string {
	if (!url.startsWith("./") && !url.startsWith("../")) return url;
	if (base === null) throw submoduleError(path, `has the relative URL ${url}, and a push comes from no repository URL to resolve it against`, "Use an absolute URL (https://…, git@host:…) in .gitmodules for deploys by push, or deploy through a webhook.");
	// git resolves against the repository's URL taken as a folder: ../lib.git beside shop.git.
	const scheme = /^([a-z][a-z0-9+.-]*:\/\/[^/]+)(\/.*)$/i.exec(base);
	if (scheme) return `${scheme[1]}${posix.normalize(posix.join(scheme[2]!, url))}`;
	const scp = /^([^:/]+:)(.*)$/.exec(base);
	if (scp) return `${scp[1]}${posix.normalize(posix.join(scp[2]!, url))}`;
	throw submoduleError(path, `has the relative URL ${url}, which cannot be resolved against ${base}`, "Use an absolute URL in .gitmodules.");
}

export function submoduleError(path: string, what: string, hint: string): DeployError {
	return new DeployError("SUBMODULE_FAILED", `The submodule ${path} ${what}.`, hint);
}
