// Issue 14, item 14: the first step of adding a server from the UI. It logs in without
// trusting anything (no key is pinned or stored, nothing on the server changes), reads
// the host key's fingerprint and which proxy would work there, and logs out. A person
// compares the fingerprint, picks the options, and `servers.add` then trusts exactly that
// key: a server that shows another one by then is refused.
import * as z from "zod";
import type { ApiContext } from "../api/context.js";
import type { ServerProbe, ServerProbeInput, StreamOptions } from "../api/types.js";
import { DeployError } from "../protocol/index.js";
import { sshDestination } from "./destination.js";
import { PROXY_PROBE_SCRIPT, parseProxyProbe, proxyOptions } from "./proxy-choice.js";
import { userCommand } from "./shell.js";

const probeInput = z.object({
	destination: z.string().regex(/^(?:[a-z_][a-z0-9_.-]*@)?[A-Za-z0-9_.:[\]-]+$/, "must look like user@host"),
	port: z.number().int().min(1).max(65535).optional(),
	identityFile: z.string().min(1).optional(),
});

export async function probeServer(context: ApiContext, raw: ServerProbeInput, options: StreamOptions = {}): Promise<ServerProbe> {
	const parsed = probeInput.safeParse(raw);
	if (!parsed.success) {
		const issue = parsed.error.issues[0]!;
		throw new DeployError("BAD_ARGUMENT", `${issue.path.join("/") || "input"}: ${issue.message}`, "Give the SSH destination as user@host (or a Host alias of ~/.ssh/config).");
	}
	const input = parsed.data;
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
