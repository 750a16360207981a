// The servers, read with better-sqlite3 alone: the CLI's early session
// (cli/early-connect.ts) wants them before Kysely and the migrations load, and a
// read-only query answers in a few milliseconds. Only a guess is made from it; the
// command reads the store properly before it uses a server.
import Database from "better-sqlite3";
import { toServer } from "./server-row.js";
import type { Server } from "./servers.js";

export interface QuickServers {
	servers: Server[];
	/** The server the newest project linked to `dir` deploys to, if any. */
	remembered: string | null;
}

/** Null when the database cannot be read as it is (missing, locked, another schema). */
export function readServersQuickly(path: string, dir: string): QuickServers | null {
	let db: Database.Database | undefined;
	try {
		db = new Database(path, { readonly: true, fileMustExist: true });
		const servers = (db.prepare("select * from servers order by name").all() as Parameters<typeof toServer>[0][]).map(toServer);
		const row = db.prepare("select s.name from projects p join servers s on s.id = p.server_id where p.dir = ? order by p.id desc limit 1").get(dir) as { name: string } | undefined;
		return { servers, remembered: row?.name ?? null };
	} catch {
		return null;
	} finally {
		db?.close();
	}
}
