import { chmod, mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { Kysely, Migrator, SqliteDialect } from "kysely";
import { DeployError } from "../protocol/errors.js";
import { migrationProvider, migrations } from "./migrations.js";
import type { StoreTables } from "./tables.js";

/**
 * Opens (creating when new) the SQLite file and brings its schema up to date.
 * The folder is 0700 and the file 0600: it holds server details and env values.
 */
export async function openDatabase(path: string): Promise<Kysely<StoreTables>> {
	await mkdir(dirname(path), { recursive: true, mode: 0o700 });
	let sqlite: Database.Database;
	try {
		sqlite = new Database(path);
		// WAL: the CLI and the desktop app may read while the other writes.
		sqlite.pragma("journal_mode = WAL");
		// With WAL, NORMAL is safe from corruption and skips an fsync per write; a power
		// cut may lose the last history rows, which the agent still holds.
		sqlite.pragma("synchronous = NORMAL");
		sqlite.pragma("foreign_keys = ON");
		sqlite.pragma("busy_timeout = 5000");
	} catch (error) {
		throw new DeployError("STORE_OPEN_FAILED", `Cannot open the local database ${path}: ${(error as Error).message}`, "Check the file and its folder, or set DEPLOY_HOME to another folder.");
	}
	await chmod(path, 0o600);
	const db = new Kysely<StoreTables>({ dialect: new SqliteDialect({ database: sqlite }) });
	// SQLite's user_version counts the migrations applied: when it is this code's count,
	// the schema is current and Kysely's migrator (a transaction and several queries,
	// on every command) is skipped. Any other number goes through the migrator.
	const known = Object.keys(migrations).length;
	if (sqlite.pragma("user_version", { simple: true }) === known) return db;
	const { error } = await new Migrator({ db, provider: migrationProvider }).migrateToLatest();
	if (error) {
		await db.destroy();
		const message = error instanceof Error ? error.message : String(error);
		// Kysely refuses a database that ran migrations this code does not know.
		if (/corrupted migrations/i.test(message)) {
			throw new DeployError("STORE_TOO_NEW", `The local database ${path} was written by a newer version of deploy.`, "Upgrade deploy, or set DEPLOY_HOME to another folder.");
		}
		throw new DeployError("STORE_MIGRATION_FAILED", `Cannot update the local database ${path}: ${message}`);
	}
	sqlite.pragma(`user_version = ${known}`);
	return db;
}

/** Whether an error is SQLite refusing a duplicate in a UNIQUE column. */
export function isUniqueViolation(error: unknown): boolean {
	return (error as { code?: string } | null)?.code === "SQLITE_CONSTRAINT_UNIQUE";
}
