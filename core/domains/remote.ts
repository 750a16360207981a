import type { ApiContext } from "../api/context.js";
import type {
	DomainAddInput,
	DomainAddResult,
	DomainInfo,
	DomainList,
	DomainListInput,
	DomainRemoveInput,
	DomainRemoveResult,
} from "../api/domains.js";
import type { StreamOptions } from "../api/types.js";
import { PREVIEW_SERVER } from "../deploy/preview.js";
import { withAppSession, withStore } from "../deploy/target.js";
import { DeployError } from "../protocol/index.js";
import { type DnsCheck, checkDns } from "./dns.js";
import { domainForms } from "./names.js";

function callOptions(options: StreamOptions): { signal?: AbortSignal; onEvent?: StreamOptions["onEvent"] } {
	return { ...(options.signal ? { signal: options.signal } : {}), ...(options.onEvent ? { onEvent: options.onEvent } : {}) };
}

/** The address DNS should point at: the server's as `servers add` resolved it; none for the local preview. */
async function serverAddress(server: string): Promise<string | null> {
	if (server === PREVIEW_SERVER) return null;
	return withStore(async (store) => (await store.servers.get(server))?.address ?? null);
}

async function dnsFor(domain: string, address: string | null, wanted: boolean | undefined): Promise<DnsCheck | null> {
	return wanted === false || !address ? null : checkDns(domain, address);
}

/**
 * `deploy domains add`: the contract's domainName has checked the name (a bad one
 * changed nothing and reached no server) and made it ASCII; the agent stores and
 * routes it while DNS is asked in parallel.
 */
export async function addDomain(context: ApiContext, input: DomainAddInput, options: StreamOptions = {}): Promise<DomainAddResult> {
	const domain = input.domain;
	return withAppSession(context, input, options, async (session, app, resolved) => {
		const address = await serverAddress(resolved.server);
		const certificateWaitMs = (input.certificateWaitSeconds ?? 0) * 1000;
		const [added, dns] = await Promise.all([
			session.rpc.call("domains.add", { app, domain, wait: input.wait ?? true, certificateWaitMs }, callOptions(options)),
			dnsFor(domain, address, input.dnsCheck),
		]);
		const result = { app, server: resolved.server, ...domainForms(added.domain), source: added.source, changed: added.changed, dns, certificate: added.certificate, url: added.url };
		if (added.certificate.state === "failed") throw certificateFailed(result);
		return result;
	});
}

export async function removeDomain(context: ApiContext, input: DomainRemoveInput, options: StreamOptions = {}): Promise<DomainRemoveResult> {
	const domain = input.domain;
	return withAppSession(context, input, options, async (session, app, resolved) => {
		const removed = await session.rpc.call("domains.remove", { app, domain, wait: input.wait ?? true }, callOptions(options));
		return { app, server: resolved.server, ...domainForms(removed.domain) };
	});
}

/** `deploy domains ls`: the agent's list (with the proxy's certificates), each domain's DNS checked in parallel. */
export async function listDomains(context: ApiContext, input: DomainListInput, options: StreamOptions = {}): Promise<DomainList> {
	return withAppSession(context, input, options, async (session, app, resolved) => {
		const [listed, address] = await Promise.all([session.rpc.call("domains.list", { app }, callOptions(options)), serverAddress(resolved.server)]);
		const domains = await Promise.all(
			listed.domains.map(
				async (entry): Promise<DomainInfo> => ({
					...domainForms(entry.name),
					source: entry.source,
					addedAt: entry.addedAt,
					dns: await dnsFor(entry.name, address, input.dnsCheck),
					certificate: entry.certificate,
				}),
			),
		);
		return { app, server: resolved.server, defaultHost: listed.defaultHost, domains };
	}, "read");
}

/**
 * Issue 14: the domain is routed, but its certificate was refused: exit 1 with the CA's
 * error, and what still works (HTTP serves the domain, unredirected, meanwhile).
 */
function certificateFailed(result: DomainAddResult): DeployError {
	const reason = result.certificate.message ?? "the CA gave no reason";
	return new DeployError(
		"CERTIFICATE_FAILED",
		`${result.app} answers on ${result.url} (route live), but the certificate for ${result.unicode} was not issued: ${reason}`,
		`Make sure ${result.domain} resolves to the server${result.dns?.expected ? ` (${result.dns.expected})` : ""} and ports 80 and 443 reach it; the proxy keeps trying by itself and HTTP serves the domain, not redirected, until it has one. \`deploy domains ls\` shows the state.`,
		[...(result.dns && result.dns.state !== "ok" ? [result.dns.message] : [])],
	);
}
