// Issue 14, item 14: the first step of adding a server from the UI. It logs in without
// trusting anything (no key is pinned or stored, nothing on the server changes), reads
// the host key's fingerprint and which proxy would work there, and logs out. A person
// compares the fingerprint, picks the options, and `servers.add` then trusts exactly that
// key: a server that shows another one by then is refused.
import type { ApiContext } from "../api/context.js";
import type { ServerProbe, ServerProbeInput, StreamOptions } from "../api/types.js";
import { sshDestination } from "./destination.js";
import { PROXY_PROBE_SCRIPT, parseProxyProbe, proxyOptions } from "./proxy-choice.js";
import { userCommand } from "./shell.js";

export async function probeServer(context: ApiContext, input: ServerProbeInput, options: StreamOptions = {}): Promise<ServerProbe> {
	const { ssh, host, user, port } = await sshDestination(context, input.destination, input.port);
	// Asked only for a key that known_hosts does not list: accepted for this look alone.
	let unknown = false;
	const remote = await ssh.openRemoteHost(
		{ host, port, user, hostKeyFingerprint: null, ...(input.identityFile ? { identityFile: input.identityFile } : {}) },
		{
			acceptNewHostKey: false,
			confirmHostKey: async () => {
				unknown = true;
				return true;
			},
			...(options.onEvent ? { onEvent: options.onEvent } : {}),
		},
	);
	try {
		const probe = parseProxyProbe((await remote.exec(userCommand(PROXY_PROBE_SCRIPT))).stdout);
		const { options: proxies, recommended } = proxyOptions(probe);
		return { where: remote.where, user, hostKeyFingerprint: remote.hostKeyFingerprint, hostKeyKnown: !unknown, proxies, recommendedProxy: recommended, listeningPorts: probe.listening };
	} finally {
		await remote.close();
	}
}
