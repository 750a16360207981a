import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import { agentBundle } from "../agent-bundle.js";
import type { ApiContext } from "../api/context.js";
import type { AddedServer, AddServerInput, StreamOptions } from "../api/types.js";
import { acmeSetup } from "./acme.js";
import { sshDestination } from "./destination.js";
import { type SetUpServer, setUpServer } from "./bootstrap/setup-server.js";
import { setupSummary } from "./bootstrap/summary.js";
import { mirrorUrl, nodeMirrorOf } from "./mirrors.js";
import { acmeSettings, appName, DeployError, proxyKind, type ServerSetup } from "../protocol/index.js";
import * as z from "zod";

/** OpenSSH's form, as `ssh-keygen -lf` prints it. */
export const hostKeyFingerprint = z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}$/, "must be a SHA256:... fingerprint, as ssh-keygen -lf prints it");

const addServerInput = z.object({
	name: appName,
	destination: z.string().regex(/^(?:[a-z_][a-z0-9_.-]*@)?[A-Za-z0-9_.:[\]-]+$/, "must look like user@host"),
	// No default here: the ssh config's Port comes before 22.
	port: z.number().int().min(1).max(65535).optional(),
	identityFile: z.string().min(1).optional(),
	proxy: proxyKind.exclude(["builtin"]).default("traefik"),
	httpPort: z.number().int().min(1).max(65535).default(80),
	httpsPort: z.number().int().min(1).max(65535).default(443),
	acceptNewHostKey: z.boolean().default(false),
	hostKeyFingerprint: hostKeyFingerprint.optional(),
	tls: z.boolean().default(true),
	acmeCa: acmeSettings.shape.directory.optional(),
	acmeCaRoot: z.string().min(1).optional(),
	acmeEmail: acmeSettings.shape.email,
	nodeMirror: mirrorUrl.optional(),
	proxyMirror: mirrorUrl.optional(),
});

/**
 * `deploy servers add`: pin the host key, set the server up from bare (issue 12: the
 * agent's runtime, the agent, the proxy, boot units, firewall) and only then remember
 * it. Any failure leaves the local store unchanged; the server is left as far as it
 * got, and running the command again repairs it.
 */
export async function addServer(context: ApiContext, raw: AddServerInput, options: StreamOptions = {}): Promise<AddedServer> {
	const parsed = addServerInput.safeParse(raw);
	if (!parsed.success) {
		const issue = parsed.error.issues[0]!;
		throw new DeployError("BAD_ARGUMENT", `${issue.path.join("/") || "input"}: ${issue.message}`, "See `deploy servers add --help`.");
	}
	const input = parsed.data;
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
