import type { AppSpec, ManifestEntry } from "../protocol/index.js";
import { plainSiteDir } from "../protocol/plain-site.js";

// Dotfiles a site is meant to publish, or that only say what to upload.
const PUBLIC_DOTFILES = new Set([".deployignore", ".gitignore", ".nojekyll"]);

/** The upload's files, asked about first without the manifest: a redeploy of 50,000 files may not have built it (core/source/snapshot.ts). */
export interface UploadedFiles {
	has(path: string): boolean;
	manifest(): readonly ManifestEntry[];
}

/**
 * Issue 14: a folder of plain files is served as it is, every uploaded file of it.
 * A dotfile there (.env, .npmrc, .htpasswd) would be public, where the user likely
 * never meant it to be: the warning names them and says how to leave them out.
 * Null when the upload is not such a site, or has none. Pure.
 */
export function plainSiteWarning(spec: AppSpec, files: UploadedFiles): string | null {
	if (spec.processes.web?.command || spec.root || spec.build) return null;
	// With a package.json, the served folder is usually a build's output, made by the build.
	if (files.has("package.json") || files.has("Procfile")) return null;
	const paths = files.manifest().map((entry) => entry.path);
	// The folder `deploy init` wrote down (static.dir: .), or the one detection picks.
	const dir = spec.static ? spec.static.dir.replace(/^\.\/|\/$/g, "") || "." : plainSiteDir(paths);
	if (dir === null) return null;
	const prefix = dir === "." ? "" : `${dir}/`;
	const hidden = paths.filter((path) => path.startsWith(prefix) && isHidden(path.slice(prefix.length)));
	if (hidden.length === 0) return null;
	const shown = hidden.slice(0, 5).join(", ") + (hidden.length > 5 ? `, and ${hidden.length - 5} more` : "");
	return `${dir === "." ? "this folder" : `${dir}/`} is served as it is, so ${shown} will be public; list what must stay private in .deployignore`;
}

function isHidden(path: string): boolean {
	const parts = path.split("/");
	if (parts[0] === ".well-known") return false;
	return parts.some((part) => part.startsWith(".")) && !PUBLIC_DOTFILES.has(path);
}
