// The servers, read with better-sqlite3 alone: the CLI's early session
// (cli/early-connect.ts) wants them before Kysely and the migrations load, and a
// read-only query answers in a few milliseconds. Only a guess is made from it; the
// command reads the store properly before it uses a server.
import Database from "better-sqlite3";
import { toServer } from "./server-row.js";
import type { Server } from "./servers.js";

/** Every server, or null when the database cannot be read as it is (missing, locked, another schema). */
export function readServersQuickly(path: string): Server[] | null {
	let db: Database.Database | undefined;
	try {
		db = new Database(path, { readonly: true, fileMustExist: true });
		return (db.prepare("select * from servers order by name").all() as Parameters<typeof toServer>[0][]).map(toServer);
	} catch {
		return null;
	} finally {
		db?.close();
	}
}
