import type { ApiContext } from "../api/context.js";
import type { ServerStatus, StreamOptions } from "../api/types.js";
import { DeployError, toErrorInfo } from "../protocol/index.js";
import { openServerSession } from "./connect.js";

/**
 * Is the server there, and how is it: one SSH connection and the agent's `status`
 * (agent, proxy, disk, memory, load, apps and instances). An unreachable server is an
 * answer (reachable: false, with why), not a failure, so a list of servers can show
 * every row; an unknown name is an error.
 */
export async function serverStatus(context: ApiContext, name: string, options: StreamOptions = {}): Promise<ServerStatus> {
	const { openStore } = await import("../store/index.js");
	const store = await openStore();
	let server: Awaited<ReturnType<typeof store.servers.get>>;
	try {
		server = await store.servers.get(name);
	} finally {
		await store.close();
	}
	if (!server) throw new DeployError("SERVER_UNKNOWN", `There is no server named "${name}".`, "See `deploy servers ls`.");
	try {
		options.signal?.throwIfAborted();
		const session = await openServerSession(context.providers, server, options);
		try {
			const health = await session.rpc.call("status", {}, options.signal ? { signal: options.signal } : {});
			return { name, reachable: true, agentVersion: health.agent.version, node: health.agent.node, proxy: health.proxy?.kind ?? null, health };
		} finally {
			await session.close();
		}
	} catch (error) {
		if (options.signal?.aborted) throw error;
		const { code, message, hint } = toErrorInfo(error);
		return { name, reachable: false, agentVersion: null, node: null, proxy: null, error: { code, message, ...(hint ? { hint } : {}) } };
	}
}
