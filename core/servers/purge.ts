import type { ApiContext } from "../api/context.js";
import type { RemovedServer, StreamOptions } from "../api/types.js";
import { systemPurgeResult } from "../protocol/system.js";
import { checkLogin } from "./bootstrap/login.js";
import { runAgentSystem } from "./bootstrap/system.js";
import { sshTarget } from "./ssh-target.js";

/**
 * `deploy servers rm --purge`: the server as it was found. The agent stops its apps and
 * its proxy and removes what `servers add` installed (units, runtime, the agent's home,
 * a proxy it installed, its firewall rules, packages it added), then this machine
 * forgets the server. An unreachable server is an error and nothing is forgotten.
 */
export async function purgeServer(context: ApiContext, name: string, options: StreamOptions = {}): Promise<RemovedServer> {
	const { openStore } = await import("../store/index.js");
	const store = await openStore();
	try {
		const server = await store.servers.require(name);
		const emit = options.onEvent ?? (() => undefined);
		const ssh = await context.providers.ssh();
		const remote = await ssh.openRemoteHost(sshTarget(server), { acceptNewHostKey: false, ...(options.onEvent ? { onEvent: options.onEvent } : {}) });
		try {
			const { facts } = await checkLogin(remote, emit);
			const purged = await runAgentSystem(remote, facts.home, ["purge"], (value) => systemPurgeResult.parse(value), emit);
			await store.servers.remove(name);
			return { removed: name, purged };
		} finally {
			await remote.close();
		}
	} finally {
		await store.close();
	}
}
