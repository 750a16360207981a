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
	return {
		...config,
		...(detected.framework ? { framework: detected.framework } : {}),
		packageManager: detected.packageManager,
		...(detected.install ? { install: detected.install } : {}),
		...(detected.build ? { build: detected.build } : {}),
		processes: { ...config.processes, ...processes },
		...(detected.static ? { static: { dir: detected.static.dir, spa: detected.static.spa } } : {}),
	};
}

/** The detection as `deploy init` shows it to a person, one line per fact. Pure. */
export function describeDetected(app: string, detected: Detection): Record<string, string> {
	const lines: Record<string, string> = {
		app,
		framework: detected.framework ?? "none detected (a plain Node app)",
		packageManager: detected.packageManager,
		install: detected.install ?? "none (no dependencies)",
		build: detected.build ?? "none (no build script)",
	};
	if (detected.static) lines.static = `${detected.static.dir}${detected.static.spa ? " (single-page app: unknown paths answer index.html)" : ""}`;
	for (const [name, command] of Object.entries(detected.processes)) lines[`processes.${name}`] = command;
	if (!detected.static && !detected.processes.web) lines["processes.web"] = "not found: add a start script, or set processes.web.command";
	return lines;
}
