import { readFile, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { DeployError } from "../../core/protocol/index.js";
import { CONVENTION_FILES, KNOWN_SLUGS } from "./conventions.js";
import { detectorPaths, type FrameworkDef, loadFrameworks, matchFramework, usesPackage } from "./frameworks.js";
import { candidateFiles, type PackageJson, packageJson, type ReleaseFacts } from "./plan.js";
import { isInside } from "../fs/is-inside.js";

// Config files are small; a bigger file at a detector path is not read whole.
const MAX_CONTENT_BYTES = 256 * 1024;

/** The frameworks this agent knows how to run: ours, and any JS one (detected by an npm package). */
const considered = (def: FrameworkDef) => (def.slug !== null && KNOWN_SLUGS.has(def.slug)) || usesPackage(def);

/**
 * Reads what detection needs from a folder (a release, or a project for `detect`):
 * package.json, which candidate files exist, the text of config files, and the
 * framework @vercel/frameworks' detectors match.
 */
export async function readReleaseFacts(releaseDir: string, root?: string): Promise<ReleaseFacts> {
	if (!root) return readFolderFacts(releaseDir);
	// Issue 14: a workspace's package. The spec's root is checked on the wire (relative, no ..), and
	// materialize keeps every link inside the release; checked again here, as for package.json's main.
	const dir = resolve(releaseDir, root);
	const info = isInside(releaseDir, dir) ? await stat(dir).catch(() => null) : null;
	if (!info?.isDirectory()) {
		throw new DeployError("ROOT_MISSING", `The app's package folder ${root} is not in the upload.`, "Check root: in deploy.yaml, and that the folder is not left out by .gitignore or .deployignore.");
	}
	const [facts, pkg] = await Promise.all([readFolderFacts(dir), readPackageJson(releaseDir)]);
	const files = [];
	for (const name of LOCKFILES) if (await stat(join(releaseDir, name)).catch(() => null)) files.push(name);
	return { ...facts, workspace: { root, pkg, files } };
}

const LOCKFILES = ["package-lock.json", "npm-shrinkwrap.json", "pnpm-lock.yaml", "yarn.lock"];

/** The facts of one folder: the release root, or a workspace package's folder. */
async function readFolderFacts(dir: string): Promise<ReleaseFacts> {
	const pkg = await readPackageJson(dir);
	const defs = (await loadFrameworks()).filter(considered);
	const asked = [...new Set([...candidateFiles(pkg), ...detectorPaths(defs), ...CONVENTION_FILES, "Procfile"])];
	const files: string[] = [];
	const contents: Record<string, string> = {};
	for (const name of asked) {
		// package.json's "main" is the project's text: "../../secrets.key" is not a file of the release to read.
		if (!isInside(dir, resolve(dir, name))) continue;
		const info = await stat(join(dir, name)).catch(() => null);
		if (!info) continue;
		files.push(name);
		if (info.isFile() && info.size <= MAX_CONTENT_BYTES && name !== "package-lock.json" && name !== "pnpm-lock.yaml" && name !== "yarn.lock") {
			contents[name] = await readFile(join(dir, name), "utf8").catch(() => "");
		}
	}
	if (pkg && !contents["package.json"]) contents["package.json"] = await readFile(join(dir, "package.json"), "utf8");
	const slug = matchFramework(defs, { pkg, files, contents }, () => true);
	const outputDirectory = defs.find((def) => def.slug === slug)?.settings?.outputDirectory?.value;
	return { pkg, files, contents, framework: { slug, outputDirectory } };
}

async function readPackageJson(dir: string): Promise<PackageJson | null> {
	let text: string;
	try {
		text = await readFile(join(dir, "package.json"), "utf8");
	} catch {
		return null;
	}
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch (error) {
		throw new DeployError("PACKAGE_JSON_INVALID", `package.json is not valid JSON: ${(error as Error).message}`, "Fix package.json and deploy again.");
	}
	const parsed = packageJson.safeParse(json);
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		throw new DeployError("PACKAGE_JSON_INVALID", `package.json ${issue?.path.join(".")}: ${issue?.message}`, "Fix package.json and deploy again.");
	}
	return parsed.data;
}
