import type { Generated } from "kysely";

// Row types of the local SQLite store, as kysely sees them (snake_case, like the SQL).
// Times are ISO-8601 strings: they sort as text and read well in the sqlite3 shell.

/** Issue 16: a member of a server's teams, mirrored from its agent (migration 0004). */
export interface UsersTable {
	id: Generated<number>;
	server: string;
	name: string;
	email: string | null;
	fingerprint: string;
	created_at: string;
	last_seen: string | null;
}

export interface TeamsTable {
	id: Generated<number>;
	server: string;
	name: string;
	created_at: string;
	/** JSON array of app names. */
	apps: string;
}

export interface TeamMembersTable {
	team_id: number;
	user_id: number;
	role: string;
	/** JSON array of app names; null: all of the team's. */
	apps: string | null;
	can_deploy_production: number;
}

export interface ServersTable {
	id: Generated<number>;
	name: string;
	host: string;
	port: number;
	user: string;
	identity_file: string | null;
	host_key_fingerprint: string;
	proxy: string;
	http_port: number;
	https_port: number;
	address: string;
	created_at: string;
	/** 0 for `--no-tls`; 1 or null (servers added before TLS existed): on. */
	tls: number | null;
	/** The ACME directory given with `--acme-ca`; null: Let's Encrypt. */
	acme_ca: string | null;
	acme_email: string | null;
	/** Issue 12: "root" or "sudo"; null for servers added before (no bootstrap). */
	privilege: string | null;
	/** Issue 12: `--node-mirror` / `--proxy-mirror` given at add or upgrade; null: the official ones. */
	node_mirror: string | null;
	proxy_mirror: string | null;
}

export interface ProjectsTable {
	id: Generated<number>;
	name: string;
	dir: string;
	server_id: number | null;
	created_at: string;
}

export interface DeploymentsTable {
	id: string;
	app: string;
	server: string;
	status: string;
	commit: string | null;
	url: string | null;
	created_at: string;
	finished_at: string | null;
	/** The ErrorInfo envelope as JSON, or null. */
	error: string | null;
	bytes_uploaded: Generated<number>;
	objects_uploaded: Generated<number>;
}

export interface DomainsTable {
	id: Generated<number>;
	project_id: number;
	host: string;
}

export interface EnvTable {
	project_id: number;
	key: string;
	value: string;
}

export interface StoreTables {
	users: UsersTable;
	teams: TeamsTable;
	team_members: TeamMembersTable;
	servers: ServersTable;
	projects: ProjectsTable;
	deployments: DeploymentsTable;
	domains: DomainsTable;
	env: EnvTable;
}
