import type { DeployYamlInput, ProjectConfig } from "../config/index.js";
import type { Detection } from "../api/types.js";

/**
 * What `deploy init` writes: the project's config (name, server, env... from
 * package.json) with everything the agent detected written down as keys, so the file
 * says exactly what a deploy will do. Keys the agent found nothing for (no build
 * script, no framework) stay out and appear as commented examples. Pure.
 */
export function initConfig(config: ProjectConfig, detected: Detection): DeployYamlInput {
	const processes: NonNullable<DeployYamlInput["processes"]> = {};
	for (const [name, command] of Object.entries(detected.processes)) processes[name] = { ...config.processes[name], command };
	// A package manager that installs and builds nothing would only mislead the reader.
	const runsPackageManager = detected.install !== null || detected.build !== null;
	return {
		...config,
		...(detected.framework ? { framework: detected.framework } : {}),
		...(runsPackageManager ? { packageManager: detected.packageManager } : {}),
		...(detected.install ? { install: detected.install } : {}),
		...(detected.build ? { build: detected.build } : {}),
		processes: { ...config.processes, ...processes },
		...(detected.static ? { static: { dir: detected.static.dir, spa: detected.static.spa } } : {}),
	};
}

/** A folder of plain files (no package.json): served as it is, nothing installed or built. */
function isPlainSite(detected: Detection): boolean {
	return detected.static !== null && detected.framework === null && detected.install === null && detected.build === null;
}

/** Whether the agent found no way to serve the folder: no start command and no static site. */
function nothingFound(detected: Detection): boolean {
	return !detected.static && !detected.processes.web;
}

/**
 * Comment lines under deploy.yaml's header that say why the file looks as it does,
 * for the two cases a reader would not guess: a plain static folder, and a folder
 * where nothing was recognised (issue 14: init writes a file to fill in, it no longer refuses). Pure.
 */
export function initNote(detected: Detection): string[] {
	if (isPlainSite(detected)) {
		return [
			`# No package.json here: the files of ${detected.static?.dir === "." ? "this folder" : `${detected.static?.dir}/`} are served as they are (static.dir),`,
			"# with nothing installed or built. Leave files out of the upload with a .deployignore.",
		];
	}
	if (!nothingFound(detected)) return [];
	return [
		"# Nothing here says how to run the app: no package.json with a start script, no",
		"# server.js or index.js, no Procfile, no index.html. Choose one and uncomment it below:",
		"#   processes.web.command: the command that starts your server (it must listen on $PORT);",
		"#   static.dir: a folder of files to serve as a website (index.html at its top).",
	];
}

/** Issue 14: comment lines for a deploy.yaml at a workspace's root with these packages (none: no lines). Pure. */
export function workspaceRootNote(packages: readonly string[]): string[] {
	if (packages.length === 0) return [];
	return [
		`# This folder is the root of a workspace; its packages: ${packages.join(", ")}.`,
		"# To deploy one, run `deploy` in its folder, or set root: to it below (then the whole",
		"# workspace is uploaded, installed once here, and the package built and run).",
	];
}

/** The detection as `deploy init` shows it to a person, one line per fact. Pure. */
export function describeDetected(app: string, detected: Detection): Record<string, string> {
	const lines: Record<string, string> = {
		app,
		framework: detected.framework ?? (isPlainSite(detected) ? "none (a folder of plain files)" : nothingFound(detected) ? "none detected" : "none detected (a plain Node app)"),
		packageManager: detected.install !== null || detected.build !== null ? detected.packageManager : "none needed (nothing to install or build)",
		install: detected.install ?? "none (no dependencies)",
		build: detected.build ?? "none (no build script)",
	};
	if (detected.static) lines.static = `${detected.static.dir}${detected.static.spa ? " (single-page app: unknown paths answer index.html)" : ""}`;
	for (const [name, command] of Object.entries(detected.processes)) lines[`processes.${name}`] = command;
	if (nothingFound(detected)) lines["processes.web"] = "not found: add a start script, or set processes.web.command (or static.dir) in deploy.yaml";
	return lines;
}
