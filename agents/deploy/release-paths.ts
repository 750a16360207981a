// Where a path of a release really leads once its links are followed. Reading a link's
// target as text is not enough: `p -> b/..` looks like the release itself, but when `b`
// is a link to `.`, the kernel goes up from where `b` led, out of the release. So each
// path is walked part by part, as the kernel walks it (issue 13, item 8).
import { lstat, readdir, readlink, stat } from "node:fs/promises";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { DeployError } from "../../core/protocol/index.js";
import { isInside } from "../fs/is-inside.js";

/** More than the kernel follows in one lookup (40 on Linux): a chain it can follow, we follow to its end. */
const MAX_HOPS = 64;

/**
 * Where the absolute `path` leads, every link followed (links through links, `..` after
 * a link going up from where the link led). Unlike realpath it accepts a path that does
 * not exist (yet): from the first missing part on, the rest is read as written. Null for
 * a loop, which the kernel refuses too (ELOOP): it leads nowhere.
 */
export async function followLinks(path: string): Promise<string | null> {
	const todo = path.split("/").filter((part) => part !== "" && part !== ".");
	let at = "/";
	let hops = 0;
	while (todo.length > 0) {
		const part = todo.shift()!;
		if (part === "..") {
			at = dirname(at);
			continue;
		}
		const next = join(at, part);
		const info = await lstat(next).catch(() => null);
		if (!info) return resolve(next, ...todo);
		if (!info.isSymbolicLink()) {
			at = next;
			continue;
		}
		if (++hops > MAX_HOPS) return null;
		const target = await readlink(next);
		if (isAbsolute(target)) at = "/";
		todo.unshift(...target.split("/").filter((p) => p !== "" && p !== "."));
	}
	return at;
}

/** The release's own folder with its links followed: what everything is compared against. */
async function realRoot(releaseDir: string): Promise<string> {
	return (await followLinks(resolve(releaseDir))) ?? resolve(releaseDir);
}

/** The first of these release-relative links that leads outside the release, with where it leads; null when all stay in. */
export async function linkLeavingRelease(releaseDir: string, links: readonly string[]): Promise<{ path: string; leadsTo: string } | null> {
	const root = await realRoot(releaseDir);
	for (const path of links) {
		const leadsTo = await followLinks(join(root, path));
		if (leadsTo !== null && !isInside(root, leadsTo)) return { path, leadsTo };
	}
	return null;
}

/**
 * A static site's folder, checked before anything serves it: it exists after the build,
 * it is inside the release once its links are followed, and so is every link under it
 * (whoever made them: the upload or the build). Returns the folder's real path, which
 * is what the proxy is given, so serving it follows no link at its root.
 */
export async function checkStaticFolder(releaseDir: string, dir: string): Promise<string> {
	const root = await realRoot(releaseDir);
	const folder = await followLinks(join(root, dir));
	if (folder !== null && !isInside(root, folder)) throw outside(dir, `resolves outside the release (to ${folder})`);
	const info = folder === null ? null : await lstat(folder).catch(() => null);
	if (folder === null || !info?.isDirectory()) {
		throw new DeployError("STATIC_DIR_MISSING", `The static site folder ${dir} does not exist after the build (or is not a folder).`, "Check the build's output folder, or set static.dir in deploy.yaml.");
	}
	const leaving = await linkLeavingUnder(root, folder);
	if (leaving) throw outside(dir, `holds a link that leads outside the release: ${leaving.path} (to ${leaving.leadsTo})`);
	return folder;
}

/**
 * The first link met under `folder` that leads outside the release: every link the
 * folder serves, those in folders reached through a link included (each folder once,
 * so a link loop ends). Paths are real ones, so comparing them with `root` is sound.
 */
async function linkLeavingUnder(root: string, folder: string): Promise<{ path: string; leadsTo: string } | null> {
	const seen = new Set<string>();
	const queue = [folder];
	while (queue.length > 0) {
		const dir = queue.pop()!;
		if (seen.has(dir)) continue;
		seen.add(dir);
		for (const entry of await readdir(dir, { withFileTypes: true })) {
			const path = join(dir, entry.name);
			if (entry.isDirectory()) queue.push(path);
			if (!entry.isSymbolicLink()) continue;
			const leadsTo = await followLinks(path);
			if (leadsTo === null) continue;
			if (!isInside(root, leadsTo)) return { path: relative(root, path), leadsTo };
			if ((await stat(leadsTo).catch(() => null))?.isDirectory()) queue.push(leadsTo);
		}
	}
	return null;
}

function outside(dir: string, what: string): DeployError {
	return new DeployError(
		"STATIC_DIR_OUTSIDE",
		`The static site folder ${dir} ${what}.`,
		"Serve a folder the build writes inside the project, with links that stay in it (or copies of the files instead of links); the live release keeps serving.",
	);
}
