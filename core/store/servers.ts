import type { Kysely } from "kysely";
import { DeployError } from "../protocol/errors.js";
import type { ProxyKind } from "../protocol/spec.js";
import { isUniqueViolation } from "./database.js";
import { toServer } from "./server-row.js";
import type { StoreTables } from "./tables.js";

/** A server added with `deploy servers add`: how to reach it and what it runs. */
export interface Server {
	id: number;
	name: string;
	host: string;
	port: number;
	user: string;
	identityFile: string | null;
	/** The pinned host key (OpenSSH's SHA256:... form); a different key refuses to connect. */
	hostKeyFingerprint: string;
	proxy: ProxyKind;
	httpPort: number;
	httpsPort: number;
	/** The address users reach the server at (for the sslip.io URL). */
	address: string;
	/** Issue 6: whether the proxy obtains certificates (false: added with `--no-tls`). */
	tls: boolean;
	/** Issue 6: the ACME directory URL (`--acme-ca`); null: Let's Encrypt. */
	acmeCa: string | null;
	acmeEmail: string | null;
	/** Issue 12: root, or a login with passwordless sudo; null: added before (the agent home rule of then). */
	privilege: "root" | "sudo" | null;
	nodeMirror: string | null;
	proxyMirror: string | null;
	createdAt: string;
}

/** The TLS and bootstrap fields may be left out: TLS on, Let's Encrypt, no email, official mirrors. */
export type NewServer = Omit<Server, "id" | "createdAt" | "tls" | "acmeCa" | "acmeEmail" | "privilege" | "nodeMirror" | "proxyMirror"> &
	Partial<Pick<Server, "tls" | "acmeCa" | "acmeEmail" | "privilege" | "nodeMirror" | "proxyMirror">>;

/** What `servers upgrade` may change of a server it set up again. */
export type ServerUpdate = Partial<Pick<Server, "privilege" | "nodeMirror" | "proxyMirror">>;

export interface ServersRepository {
	/** Fails with SERVER_EXISTS when the name is taken. */
	add(server: NewServer): Promise<Server>;
	get(name: string): Promise<Server | undefined>;
	/** Like get, but fails with SERVER_NOT_FOUND and a hint. */
	require(name: string): Promise<Server>;
	list(): Promise<Server[]>;
	/** Whether a server of that name existed. Its projects keep their settings, without a server. */
	remove(name: string): Promise<boolean>;
	update(name: string, changes: ServerUpdate): Promise<void>;
}

export function serversRepository(db: Kysely<StoreTables>): ServersRepository {
	const get = async (name: string) => {
		const row = await db.selectFrom("servers").selectAll().where("name", "=", name).executeTakeFirst();
		return row && toServer(row);
	};
	return {
		async add(server) {
			try {
				const row = await db
					.insertInto("servers")
					.values({
						name: server.name,
						host: server.host,
						port: server.port,
						user: server.user,
						identity_file: server.identityFile,
						host_key_fingerprint: server.hostKeyFingerprint,
						proxy: server.proxy,
						http_port: server.httpPort,
						https_port: server.httpsPort,
						address: server.address,
						tls: server.tls === false ? 0 : 1,
						acme_ca: server.acmeCa ?? null,
						acme_email: server.acmeEmail ?? null,
						privilege: server.privilege ?? null,
						node_mirror: server.nodeMirror ?? null,
						proxy_mirror: server.proxyMirror ?? null,
						created_at: new Date().toISOString(),
					})
					.returningAll()
					.executeTakeFirstOrThrow();
				return toServer(row);
			} catch (error) {
				if (!isUniqueViolation(error)) throw error;
				throw new DeployError("SERVER_EXISTS", `A server named "${server.name}" already exists.`, `Pick another name, or remove it first with \`deploy servers rm ${server.name}\`.`);
			}
		},
		get,
		async require(name) {
			const server = await get(name);
			if (!server) throw new DeployError("SERVER_NOT_FOUND", `There is no server named "${name}".`, "See your servers with `deploy servers ls`, or add one with `deploy servers add`.");
			return server;
		},
		async list() {
			const rows = await db.selectFrom("servers").selectAll().orderBy("name").execute();
			return rows.map(toServer);
		},
		async update(name, changes) {
			const values = {
				...(changes.privilege !== undefined ? { privilege: changes.privilege } : {}),
				...(changes.nodeMirror !== undefined ? { node_mirror: changes.nodeMirror } : {}),
				...(changes.proxyMirror !== undefined ? { proxy_mirror: changes.proxyMirror } : {}),
			};
			if (Object.keys(values).length > 0) await db.updateTable("servers").set(values).where("name", "=", name).execute();
		},
		async remove(name) {
			const result = await db.deleteFrom("servers").where("name", "=", name).executeTakeFirst();
			return result.numDeletedRows > 0n;
		},
	};
}
