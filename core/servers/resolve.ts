import type { ServerInfo } from "../api/types.js";
import { DeployError } from "../protocol/index.js";

interface ServerLookup {
	get(name: string): ServerInfo | undefined;
	list(): ServerInfo[];
}

/** Which server a command talks to: the one named, else the only one there is. */
export function resolveServer(servers: ServerLookup, name: string | undefined): ServerInfo {
	if (name) {
		const server = servers.get(name);
		if (!server) {
			const known = servers.list().map((s) => s.name);
			throw new DeployError(
				"SERVER_UNKNOWN",
				`There is no server named "${name}".`,
				known.length ? `Known servers: ${known.join(", ")}. Add one with \`deploy servers add ${name} user@host\`.` : `Add it with \`deploy servers add ${name} user@host\`.`,
			);
		}
		return server;
	}
	const all = servers.list();
	if (all.length === 1) return all[0]!;
	if (all.length === 0) {
		throw new DeployError("NO_SERVERS", "No server has been added yet.", "Add one with `deploy servers add <name> user@host`, or try `deploy preview` to deploy on this machine.");
	}
	throw new DeployError(
		"SERVER_REQUIRED",
		`Several servers are known (${all.map((s) => s.name).join(", ")}); which one?`,
		"Pass --server NAME, or set `server:` in deploy.yaml.",
	);
}
