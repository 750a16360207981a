import { mkdir, realpath, symlink } from "node:fs/promises";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { isInside } from "../fs/is-inside.js";
import { linkLeavingRelease } from "./release-paths.js";
import { DeployError, type ManifestEntry } from "../../core/protocol/index.js";
import { copyObjectsTo } from "../objects/copy-out.js";
import type { ObjectStore } from "../objects/store.js";

/**
 * Whether a link's target, read lexically from the link's folder, stays in the release:
 * the first check, on the text alone. Links through links are checked once all exist
 * (checkManifestLinks).
 */
export function symlinkTargetInside(root: string, entryPath: string, target: string): boolean {
	if (isAbsolute(target)) return false;
	return isInside(root, resolve(dirname(join(root, entryPath)), target));
}

/**
 * Writes the release folder from the object store. Regular files go first and
 * symlinks last, so no file is ever written through a symlink the manifest created
 * (a link `a -> /etc` followed by a file `a/passwd` fails instead of escaping).
 */
export async function materialize(root: string, manifest: ManifestEntry[], store: ObjectStore): Promise<void> {
	await mkdir(root, { recursive: true });
	for (const entry of manifest) {
		// The plain relative paths the client sends pass without path.resolve (50,000 of them cost it a second).
		if (!isPlainRelative(entry.path) && !isInside(root, resolve(root, entry.path))) throw escapeError(entry.path);
	}
	const files = manifest.filter((entry) => entry.mode !== "120000");
	const links = manifest.filter((entry) => entry.mode === "120000");
	const targetOf = (entry: ManifestEntry) => (isPlainRelative(entry.path) ? `${root}/${entry.path}` : join(root, entry.path));
	const dirs = new Set(files.map((entry) => dirname(targetOf(entry))));
	for (const dir of [...dirs].sort()) await mkdir(dir, { recursive: true });
	await copyObjectsTo(
		store,
		// The owner's alone, as everything in the agent's home (issue 13): the sources may
		// hold secrets; an app's own user gets its release from agents/isolation.
		files.map((entry) => ({ id: entry.id, target: targetOf(entry), mode: entry.mode === "100755" ? 0o700 : 0o600, path: entry.path })),
		(file, error) => (error instanceof DeployError ? error : manifestError(file.path, error)),
	);
	const realRoot = await realpath(root);
	for (const entry of links) {
		const linkTarget = (await store.read(entry.id)).toString("utf8");
		await mkdir(dirname(join(root, entry.path)), { recursive: true });
		// The folder the link goes into, as the kernel sees it: an earlier link may have moved it.
		const parent = await realpath(dirname(join(root, entry.path)));
		const placed = join(parent, entry.path.split("/").pop() ?? "");
		if (!isInside(realRoot, parent) || !symlinkTargetInside(realRoot, relative(realRoot, placed), linkTarget)) {
			throw new DeployError("MANIFEST_INVALID", `The symlink ${entry.path} points outside the project (${linkTarget}).`, "Replace the link with a copy of the file, or ignore it in .gitignore.");
		}
		await symlink(linkTarget, join(root, entry.path)).catch((error: NodeJS.ErrnoException) => {
			throw manifestError(entry.path, error);
		});
	}
	await checkManifestLinks(root, manifest);
}

/**
 * Every link of the manifest, followed to its end through the other links, stays in
 * the release. The text check above passes `p -> b/..` when `b -> .`, yet the kernel
 * goes up from where `b` led: out of the release, into whatever the proxy or the agent
 * would then serve or read (issue 13). Also run on a release restored from the build
 * cache, which may have been built by an agent without this check.
 */
export async function checkManifestLinks(root: string, manifest: readonly ManifestEntry[]): Promise<void> {
	const leaving = await linkLeavingRelease(
		root,
		manifest.filter((entry) => entry.mode === "120000").map((entry) => entry.path),
	);
	if (leaving) {
		throw new DeployError("MANIFEST_INVALID", `The symlink ${leaving.path} leads outside the project once the links it passes through are followed (to ${leaving.leadsTo}).`, "Replace the link with a copy of the file, or ignore it in .gitignore; the live release keeps serving.");
	}
}

/** a/b/c: no empty, "." or ".." segment, not absolute; such a path stays inside any root it is joined to. */
function isPlainRelative(path: string): boolean {
	if (path === "" || path.startsWith("/")) return false;
	for (const segment of path.split("/")) if (segment === "" || segment === "." || segment === "..") return false;
	return true;
}

function escapeError(path: string): DeployError {
	return new DeployError("MANIFEST_INVALID", `The path ${path} leaves the release folder.`, "Upload a manifest from the deploy client.");
}

function manifestError(path: string, error: NodeJS.ErrnoException): DeployError {
	return new DeployError("MANIFEST_INVALID", `Cannot write ${path} into the release: ${error.code ?? error.message}.`, "Check the project for a file and a folder of the same name, or duplicate paths.");
}
