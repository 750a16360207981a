import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import { agentBundle } from "../agent-bundle.js";
import type { ApiContext } from "../api/context.js";
import type { AddedServer, AddServerInput, StreamOptions } from "../api/types.js";
import { acmeSetup } from "./acme.js";
import { sshDestination } from "./destination.js";
import { type SetUpServer, setUpServer } from "./bootstrap/setup-server.js";
import { setupSummary } from "./bootstrap/summary.js";
import { nodeMirrorOf } from "./mirrors.js";
import { joinAsMember, memberOfKey } from "./join.js";
import { DeployError, type ProxyKind, type ServerSetup } from "../protocol/index.js";


/**
 * `deploy servers add`: pin the host key, set the server up from bare (issue 12: the
 * agent's runtime, the agent, the proxy, boot units, firewall) and only then remember
 * it. Any failure leaves the local store unchanged; the server is left as far as it
 * got, and running the command again repairs it.
 */
export async function addServer(context: ApiContext, raw: AddServerInput, options: StreamOptions = {}): Promise<AddedServer> {
	// raw passed the contract; these are the defaults of what it leaves out.
	// The contract refuses "builtin" (the preview's proxy), which AddServerInput's type still allows.
	const input = { ...raw, proxy: (raw.proxy ?? "traefik") as Exclude<ProxyKind, "builtin">, httpPort: raw.httpPort ?? 80, httpsPort: raw.httpsPort ?? 443, acceptNewHostKey: raw.acceptNewHostKey ?? false, tls: raw.tls ?? true };
	// Read before any connection: a bad PEM file, conflicting flags or a bad mirror change nothing.
	const acme = await acmeSetup(input);
	const node = nodeMirrorOf(input.nodeMirror);
	const { openStore } = await import("../store/index.js");
	const store = await openStore();
	try {
		if (await store.servers.get(input.name)) {
			throw new DeployError("SERVER_EXISTS", `A server named "${input.name}" already exists.`, `Pick another name, run \`deploy servers upgrade ${input.name}\` to repair or upgrade it, or remove it first with \`deploy servers rm ${input.name}\`.`);
		}
		const { ssh, host, configured, user, port } = await sshDestination(context, input.destination, input.port);
		const address = await publicAddress(configured.hostName, host);
		// Issue 14: a fingerprint given (the UI's, shown by servers.probe and confirmed) is the only key trusted.
		const remote = await ssh.openRemoteHost(
			{ host, port, user, hostKeyFingerprint: input.hostKeyFingerprint ?? null, ...(input.identityFile ? { identityFile: input.identityFile } : {}) },
			{ acceptNewHostKey: input.acceptNewHostKey, ...(options.confirmHostKey ? { confirmHostKey: options.confirmHostKey } : {}), ...(options.onEvent ? { onEvent: options.onEvent } : {}) },
		).catch((error: unknown) => {
			throw input.hostKeyFingerprint ? notTheConfirmedKey(error) : error;
		});
		// Issue 16: a team member's key joins the server its owner set up; it installs and changes nothing.
		const member = await memberOfKey(remote).catch(async (error: unknown) => {
			await remote.close();
			throw error;
		});
		if (member) {
			const { setup, me } = await joinAsMember(remote, options.onEvent ?? (() => undefined)).finally(() => remote.close());
			const server = await store.servers.add({
				name: input.name,
				user,
				host,
				port,
				address: setup.address,
				proxy: setup.proxy === "builtin" ? input.proxy : setup.proxy,
				httpPort: setup.httpPort,
				httpsPort: setup.httpsPort,
				hostKeyFingerprint: remote.hostKeyFingerprint,
				identityFile: input.identityFile ?? null,
				tls: setup.tls,
				acmeCa: setup.acme?.directory ?? null,
				acmeEmail: setup.acme?.email ?? null,
			});
			return { ...server, member: me };
		}
		let done: SetUpServer;
		try {
			const setup: ServerSetup = { proxy: input.proxy, httpPort: input.httpPort, httpsPort: input.httpsPort, address, tls: input.tls, ...(acme ? { acme } : {}), nodeMirror: node.mirror };
			const proxy = { kind: input.proxy, httpPort: input.httpPort, httpsPort: input.httpsPort };
			done = await setUpServer(remote, { bundle: agentBundle(), setup: () => setup, proxy, nodeMirror: node.mirror, proxyMirror: input.proxyMirror }, options.onEvent ?? (() => undefined));
		} finally {
			await remote.close();
		}
		const server = await store.servers.add({
			name: input.name,
			user,
			host,
			port,
			address,
			proxy: input.proxy,
			httpPort: input.httpPort,
			httpsPort: input.httpsPort,
			hostKeyFingerprint: remote.hostKeyFingerprint,
			identityFile: input.identityFile ?? null,
			tls: input.tls,
			acmeCa: acme?.directory ?? null,
			acmeEmail: acme?.email ?? null,
			privilege: done.privilege,
			nodeMirror: node.given,
			proxyMirror: input.proxyMirror ?? null,
		});
		return { ...server, setup: setupSummary(done) };
	} finally {
		await store.close();
	}
}

/** The server shows another key than the one a person confirmed (servers.probe): the re-pinning hint does not apply to a server not added yet. */
function notTheConfirmedKey(error: unknown): unknown {
	if (!(error instanceof DeployError) || error.code !== "HOST_KEY_CHANGED") return error;
	return new DeployError(error.code, error.message, "It is not the key you confirmed: nothing was sent to the server or stored. Check the fingerprint on the server itself, then connect again.");
}

/** sslip.io URLs need an IP address: resolve the host's name (its HostName for an alias) once, when the server is added. */
async function publicAddress(hostName: string, given: string): Promise<string> {
	if (isIP(hostName)) return hostName;
	try {
		return (await lookup(hostName)).address;
	} catch {
		const which = hostName === given ? `"${given}"` : `"${hostName}" (the HostName of ${given} in your ssh config)`;
		throw new DeployError("HOST_UNRESOLVED", `Cannot resolve the host name ${which}.`, "Check the spelling, use the server's IP address, or give the name a Host entry with a HostName in ~/.ssh/config.");
	}
}
