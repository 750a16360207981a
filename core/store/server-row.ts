import type { Selectable } from "kysely";
import type { ProxyKind } from "../protocol/spec.js";
import type { Server } from "./servers.js";
import type { ServersTable } from "./tables.js";

/** A row of `servers` as the rest of the code sees it. */
export function toServer(row: Selectable<ServersTable>): Server {
	return {
		id: row.id,
		name: row.name,
		host: row.host,
		port: row.port,
		user: row.user,
		identityFile: row.identity_file,
		hostKeyFingerprint: row.host_key_fingerprint,
		proxy: row.proxy as ProxyKind,
		httpPort: row.http_port,
		httpsPort: row.https_port,
		address: row.address,
		tls: row.tls !== 0,
		acmeCa: row.acme_ca,
		acmeEmail: row.acme_email,
		privilege: row.privilege === "root" || row.privilege === "sudo" ? row.privilege : null,
		nodeMirror: row.node_mirror ?? null,
		proxyMirror: row.proxy_mirror ?? null,
		createdAt: row.created_at,
	};
}
