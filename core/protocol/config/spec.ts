import { type AppSpec, appSpec } from "../spec.js";
import { metricsSpec } from "./metrics.js";
import { routingSpec } from "./routing.js";
import { appScalingSpec, processScalingSpec } from "./scaling.js";
import type { ProjectConfig } from "./schema.js";

/**
 * The app as the agent receives it. Commands, framework, package manager and
 * static folder left out of deploy.yaml stay unset: the agent detects them from the
 * files it receives (lockfile, scripts, config files).
 */
export function toAppSpec(config: ProjectConfig): AppSpec {
	const processes: AppSpec["processes"] = {};
	for (const [name, process] of Object.entries(config.processes)) {
		processes[name] = {
			...(process.command ? { command: process.command } : {}),
			instances: process.instances,
			healthcheck: {
				...(process.healthcheck.path ? { path: process.healthcheck.path } : {}),
				timeoutSeconds: process.healthcheck.timeoutSeconds,
				intervalMs: process.healthcheck.intervalMs,
				...(process.healthcheck.expectedStatus !== undefined ? { expectedStatus: process.healthcheck.expectedStatus } : {}),
			},
			drainSeconds: process.drainSeconds,
			...processScalingSpec(process),
		};
	}
	// Parsed with the wire schema so a drift between the two schemas shows here, not on the server.
	return appSpec.parse({
		name: config.app,
		...(config.team ? { team: config.team } : {}),
		...(config.install ? { install: config.install } : {}),
		...(config.build ? { build: config.build } : {}),
		processes,
		env: { ...config.env },
		domains: [...config.domains],
		keepReleases: config.releases.keep,
		...(config.framework ? { framework: config.framework } : {}),
		...(config.packageManager ? { packageManager: config.packageManager } : {}),
		...(config.static ? { static: { dir: config.static.dir, spa: config.static.spa } } : {}),
		buildTimeoutSeconds: config.buildTimeoutSeconds,
		...routingSpec(config),
		...appScalingSpec(config),
		...metricsSpec(config),
	});
}
