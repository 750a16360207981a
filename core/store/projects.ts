import type { Kysely, Selectable } from "kysely";
import type { ProjectsTable, StoreTables } from "./tables.js";

/** A project folder the user deployed from, and the server it goes to. */
export interface Project {
	id: number;
	name: string;
	dir: string;
	serverId: number | null;
	/** The server's name, or null when none is set (or it was removed). */
	server: string | null;
	createdAt: string;
}

export interface ProjectInput {
	name: string;
	dir: string;
	/**
	 * The server, by name. A name not in the servers table (such as the local
	 * preview) is stored as no server. Left unchanged on an existing project when omitted.
	 */
	server?: string | null;
}

export interface ProjectsRepository {
	/** Creates the project, or updates its folder (and server, when given) by name. */
	upsert(project: ProjectInput): Promise<Project>;
	get(name: string): Promise<Project | undefined>;
	/** Every project, by name. */
	list(): Promise<Project[]>;
}

export function projectsRepository(db: Kysely<StoreTables>): ProjectsRepository {
	return {
		async upsert(project) {
			const serverId = project.server ? ((await db.selectFrom("servers").select("id").where("name", "=", project.server).executeTakeFirst())?.id ?? null) : null;
			await db
				.insertInto("projects")
				.values({ name: project.name, dir: project.dir, server_id: serverId, created_at: new Date().toISOString() })
				.onConflict((conflict) =>
					conflict.column("name").doUpdateSet({
						dir: project.dir,
						...(project.server !== undefined ? { server_id: serverId } : {}),
					}),
				)
				.execute();
			return (await get(project.name))!;
		},
		get,
		async list() {
			const rows = await db
				.selectFrom("projects")
				.leftJoin("servers", "servers.id", "projects.server_id")
				.selectAll("projects")
				.select("servers.name as server")
				.orderBy("projects.name")
				.execute();
			return rows.map(toProject);
		},
	};

	async function get(name: string): Promise<Project | undefined> {
		const row = await db
			.selectFrom("projects")
			.leftJoin("servers", "servers.id", "projects.server_id")
			.selectAll("projects")
			.select("servers.name as server")
			.where("projects.name", "=", name)
			.executeTakeFirst();
		return row && toProject(row);
	}
}

function toProject(row: Selectable<ProjectsTable> & { server: string | null }): Project {
	return { id: row.id, name: row.name, dir: row.dir, serverId: row.server_id, server: row.server, createdAt: row.created_at };
}
