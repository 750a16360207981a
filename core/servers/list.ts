import type { ServerInfo } from "../api/types.js";
import { DeployError } from "../protocol/index.js";

export async function listServers(): Promise<ServerInfo[]> {
	const { openStore } = await import("../store/index.js");
	const store = await openStore();
	try {
		return await store.servers.list();
	} finally {
		await store.close();
	}
}

/** Forgets a server locally; what runs on it keeps running (the agent is not touched). */
export async function removeServer(name: string): Promise<{ removed: string }> {
	const { openStore } = await import("../store/index.js");
	const store = await openStore();
	try {
		if (!(await store.servers.get(name))) {
			throw new DeployError("SERVER_UNKNOWN", `There is no server named "${name}".`, "See `deploy servers ls`.");
		}
		await store.servers.remove(name);
		return { removed: name };
	} finally {
		await store.close();
	}
}
