import { join } from "node:path";
import envPaths from "env-paths";

/**
 * Where the client keeps its state (the SQLite store, later keys and caches).
 * DEPLOY_HOME wins so tests and several profiles can live side by side.
 */
export function deployHome(): string {
	const override = process.env.DEPLOY_HOME;
	if (override) return override;
	return envPaths("deploy", { suffix: "" }).data;
}

/** The local SQLite database: servers, projects and a cache of deployments. */
export function databasePath(): string {
	return join(deployHome(), "deploy.db");
}
