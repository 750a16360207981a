// The local SQLite store: servers, projects and a cache of deployments.
// Imported lazily by the CLI: opening it loads better-sqlite3 and kysely.
import { databasePath } from "../paths.js";
import { openDatabase } from "./database.js";
import { type DeploymentsRepository, deploymentsRepository } from "./deployments.js";
import { type ProjectsRepository, projectsRepository } from "./projects.js";
import { type ServersRepository, serversRepository } from "./servers.js";
import { type TeamsRepository, teamsRepository } from "./teams.js";

export type { Deployment, DeploymentInput, DeploymentQuery, DeploymentsRepository } from "./deployments.js";
export type { Project, ProjectInput, ProjectsRepository } from "./projects.js";
export type { NewServer, Server, ServersRepository } from "./servers.js";
export type { TeamsRepository } from "./teams.js";

export interface Store {
	servers: ServersRepository;
	projects: ProjectsRepository;
	deployments: DeploymentsRepository;
	/** Issue 16: each server's teams, mirrored from its agent. */
	teams: TeamsRepository;
	close(): Promise<void>;
}

/** Opens the store at `path` (default: databasePath()), creating and migrating it as needed. */
export async function openStore(path: string = databasePath()): Promise<Store> {
	const db = await openDatabase(path);
	return {
		servers: serversRepository(db),
		projects: projectsRepository(db),
		deployments: deploymentsRepository(db),
		teams: teamsRepository(db),
		close: () => db.destroy(),
	};
}
