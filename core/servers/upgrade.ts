import { agentBundle } from "../agent-bundle.js";
import type { ApiContext } from "../api/context.js";
import type { StreamOptions, UpgradedServer, UpgradeServerInput } from "../api/types.js";
import { DeployError, letsEncryptDirectory, type ServerSetup } from "../protocol/index.js";
import { setUpServer } from "./bootstrap/setup-server.js";
import { setupSummary } from "./bootstrap/summary.js";
import { nodeMirrorOf } from "./mirrors.js";
import { sshTarget } from "./ssh-target.js";

/**
 * `deploy servers upgrade`: the same steps as `servers add` on a server this machine
 * knows (its pinned host key, its proxy and ports), bringing the agent, its runtime and
 * a proxy it installed to this client's versions. Apps keep serving: the agent's
 * restart leaves them running; the proxy restarts only when its own version changes.
 * It also repairs a half-set-up server, and sets up one added before issue 12.
 */
export async function upgradeServer(context: ApiContext, input: UpgradeServerInput, options: StreamOptions = {}): Promise<UpgradedServer> {
	const { openStore } = await import("../store/index.js");
	const store = await openStore();
	try {
		const server = await store.servers.require(input.name);
		const node = nodeMirrorOf(input.nodeMirror, server.nodeMirror);
		// input.proxyMirror passed the contract's mirrorUrl; the stored one was checked when it was given.
		const proxyFrom = input.proxyMirror ?? server.proxyMirror ?? undefined;
		if (server.proxy === "builtin") throw new DeployError("BAD_ARGUMENT", `${server.name} uses the built-in proxy of previews.`, "Only servers added with `deploy servers add` can be upgraded.");
		const ssh = await context.providers.ssh();
		const remote = await ssh.openRemoteHost(sshTarget(server), { acceptNewHostKey: false, ...(options.onEvent ? { onEvent: options.onEvent } : {}) });
		try {
			// The agent keeps what it was set up with (TLS, the ACME CA's root); only the mirror may change here.
			const fallback: ServerSetup = { proxy: server.proxy, httpPort: server.httpPort, httpsPort: server.httpsPort, address: server.address, tls: server.tls, ...(server.acmeCa || server.acmeEmail ? { acme: { directory: server.acmeCa ?? letsEncryptDirectory, ...(server.acmeEmail ? { email: server.acmeEmail } : {}) } } : {}) };
			const done = await setUpServer(
				remote,
				{
					bundle: agentBundle(),
					setup: (current) => ({ ...(current ?? fallback), nodeMirror: node.mirror }),
					proxy: { kind: server.proxy, httpPort: server.httpPort, httpsPort: server.httpsPort },
					nodeMirror: node.mirror,
					proxyMirror: proxyFrom,
				},
				options.onEvent ?? (() => undefined),
			);
			await store.servers.update(server.name, { privilege: done.privilege, nodeMirror: node.given, proxyMirror: proxyFrom ?? null });
			// Issue 17, item 4: this client's dashboard build goes with its agent, where the API serves one (unchanged: nothing travels).
			await (await import("../dashboard/enable.js")).refreshDashboard(context, server.name, options);
			return { name: server.name, setup: setupSummary(done) };
		} finally {
			await remote.close();
		}
	} finally {
		await store.close();
	}
}
