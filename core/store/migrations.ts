import { type Kysely, type Migration, type MigrationProvider, sql } from "kysely";

/**
 * The store's schema history, in code so the bundled CLI needs no migration files.
 * Never edit a migration that has shipped: add the next one (`0002_...`).
 */
export const migrations: Record<string, Migration> = {
	"0001_initial": {
		async up(db: Kysely<unknown>) {
			const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`;
			await db.schema
				.createTable("users")
				.addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
				.addColumn("name", "text", (c) => c.notNull())
				.addColumn("email", "text", (c) => c.unique())
				.addColumn("created_at", "text", (c) => c.notNull().defaultTo(now))
				.execute();
			await db.schema
				.createTable("teams")
				.addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
				.addColumn("name", "text", (c) => c.notNull().unique())
				.addColumn("created_at", "text", (c) => c.notNull().defaultTo(now))
				.execute();
			await db.schema
				.createTable("team_members")
				.addColumn("team_id", "integer", (c) => c.notNull().references("teams.id").onDelete("cascade"))
				.addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
				.addColumn("role", "text", (c) => c.notNull().defaultTo("member"))
				.addPrimaryKeyConstraint("team_members_pk", ["team_id", "user_id"])
				.execute();
			await db.schema
				.createTable("servers")
				.addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
				.addColumn("name", "text", (c) => c.notNull().unique())
				.addColumn("host", "text", (c) => c.notNull())
				.addColumn("port", "integer", (c) => c.notNull().defaultTo(22))
				.addColumn("user", "text", (c) => c.notNull())
				.addColumn("identity_file", "text")
				.addColumn("host_key_fingerprint", "text", (c) => c.notNull())
				.addColumn("proxy", "text", (c) => c.notNull())
				.addColumn("http_port", "integer", (c) => c.notNull())
				.addColumn("https_port", "integer", (c) => c.notNull())
				.addColumn("address", "text", (c) => c.notNull())
				.addColumn("created_at", "text", (c) => c.notNull().defaultTo(now))
				.execute();
			await db.schema
				.createTable("projects")
				.addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
				.addColumn("name", "text", (c) => c.notNull().unique())
				.addColumn("dir", "text", (c) => c.notNull())
				// Removing a server keeps its projects; they just have no server any more.
				.addColumn("server_id", "integer", (c) => c.references("servers.id").onDelete("set null"))
				.addColumn("created_at", "text", (c) => c.notNull().defaultTo(now))
				.execute();
			// A cache of the agents' history, so it stays plain text: no foreign keys to
			// projects or servers, a teammate's deployment may be of an app not set up here.
			await db.schema
				.createTable("deployments")
				.addColumn("id", "text", (c) => c.primaryKey())
				.addColumn("app", "text", (c) => c.notNull())
				.addColumn("server", "text", (c) => c.notNull())
				.addColumn("status", "text", (c) => c.notNull())
				.addColumn("commit", "text")
				.addColumn("url", "text")
				.addColumn("created_at", "text", (c) => c.notNull())
				.addColumn("finished_at", "text")
				.addColumn("error", "text")
				.addColumn("bytes_uploaded", "integer", (c) => c.notNull().defaultTo(0))
				.addColumn("objects_uploaded", "integer", (c) => c.notNull().defaultTo(0))
				.execute();
			await db.schema.createIndex("deployments_app_created").on("deployments").columns(["app", "created_at"]).execute();
			await db.schema.createIndex("deployments_server_created").on("deployments").columns(["server", "created_at"]).execute();
			await db.schema
				.createTable("domains")
				.addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
				.addColumn("project_id", "integer", (c) => c.notNull().references("projects.id").onDelete("cascade"))
				.addColumn("host", "text", (c) => c.notNull().unique())
				.execute();
			// Values are stored in plain text for now; a later issue encrypts them at rest
			// (the database file is already 0600 in a 0700 folder).
			await db.schema
				.createTable("env")
				.addColumn("project_id", "integer", (c) => c.notNull().references("projects.id").onDelete("cascade"))
				.addColumn("key", "text", (c) => c.notNull())
				.addColumn("value", "text", (c) => c.notNull())
				.addPrimaryKeyConstraint("env_pk", ["project_id", "key"])
				.execute();
		},
	},
	// Issue 6: per-server TLS. Null columns (servers added before) mean TLS on, Let's Encrypt, no email.
	"0002_server_acme": {
		async up(db: Kysely<unknown>) {
			await db.schema.alterTable("servers").addColumn("tls", "integer").execute();
			await db.schema.alterTable("servers").addColumn("acme_ca", "text").execute();
			await db.schema.alterTable("servers").addColumn("acme_email", "text").execute();
		},
	},
	// Issue 12: how the login reaches its agent (root, or passwordless sudo), and the mirrors it was set up from.
	// A null privilege (servers added before) keeps the agent home rule of then: root's, or the login's own.
	"0003_server_bootstrap": {
		async up(db: Kysely<unknown>) {
			await db.schema.alterTable("servers").addColumn("privilege", "text").execute();
			await db.schema.alterTable("servers").addColumn("node_mirror", "text").execute();
			await db.schema.alterTable("servers").addColumn("proxy_mirror", "text").execute();
		},
	},
	// Issue 16: the teams of each server, mirrored from its agent (the server is the truth). The spec's
	// users/teams/team_members tables, unused until now and so empty, are made again with the server they mirror.
	"0004_team_mirror": {
		async up(db: Kysely<unknown>) {
			await db.schema.dropTable("team_members").execute();
			await db.schema.dropTable("teams").execute();
			await db.schema.dropTable("users").execute();
			await db.schema
				.createTable("users")
				.addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
				.addColumn("server", "text", (c) => c.notNull())
				.addColumn("name", "text", (c) => c.notNull())
				.addColumn("email", "text")
				.addColumn("fingerprint", "text", (c) => c.notNull())
				.addColumn("created_at", "text", (c) => c.notNull())
				.addColumn("last_seen", "text")
				.addUniqueConstraint("users_server_name", ["server", "name"])
				.execute();
			await db.schema
				.createTable("teams")
				.addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
				.addColumn("server", "text", (c) => c.notNull())
				.addColumn("name", "text", (c) => c.notNull())
				.addColumn("created_at", "text", (c) => c.notNull())
				/** The team's apps, a JSON array. */
				.addColumn("apps", "text", (c) => c.notNull().defaultTo("[]"))
				.addUniqueConstraint("teams_server_name", ["server", "name"])
				.execute();
			await db.schema
				.createTable("team_members")
				.addColumn("team_id", "integer", (c) => c.notNull().references("teams.id").onDelete("cascade"))
				.addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
				.addColumn("role", "text", (c) => c.notNull().defaultTo("member"))
				/** The apps given, a JSON array; null: every app of the team. */
				.addColumn("apps", "text")
				.addColumn("can_deploy_production", "integer", (c) => c.notNull().defaultTo(0))
				.addPrimaryKeyConstraint("team_members_pk", ["team_id", "user_id"])
				.execute();
		},
	},
};

export const migrationProvider: MigrationProvider = {
	getMigrations: async () => migrations,
};
