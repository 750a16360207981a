import * as z from "zod";
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
import { validateInput } from "../deploy/validate-input.js";
import { appName } from "../protocol/index.js";
import { type DnsCheck, checkDns } from "./dns.js";
import { domainForms, parseDomainArgument } from "./names.js";

const HINT = "Run it in the app's folder, or pass --app NAME.";
const target = { dir: z.string().optional(), app: appName.optional(), server: z.string().min(1).optional() };
const listInput = z.object({ ...target, dnsCheck: z.boolean().optional() });
const addInput = z.object({ ...target, domain: z.string(), dnsCheck: z.boolean().optional(), wait: z.boolean().optional() });
const removeInput = z.object({ ...target, domain: z.string(), wait: z.boolean().optional() });

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
 * `deploy domains add`: the name is checked here first (a bad one changes nothing and
 * reaches no server), then the agent stores and routes it while DNS is asked in parallel.
 */
export async function addDomain(context: ApiContext, input: DomainAddInput, options: StreamOptions = {}): Promise<DomainAddResult> {
	const parsed = validateInput(addInput, input, HINT);
	const domain = parseDomainArgument(parsed.domain);
	return withAppSession(context, parsed, options, async (session, app, resolved) => {
		const address = await serverAddress(resolved.server);
		const [added, dns] = await Promise.all([
			session.rpc.call("domains.add", { app, domain, wait: parsed.wait ?? true }, callOptions(options)),
			dnsFor(domain, address, parsed.dnsCheck),
		]);
		return { app, server: resolved.server, ...domainForms(added.domain), source: added.source, changed: added.changed, dns };
	});
}

export async function removeDomain(context: ApiContext, input: DomainRemoveInput, options: StreamOptions = {}): Promise<DomainRemoveResult> {
	const parsed = validateInput(removeInput, input, HINT);
	const domain = parseDomainArgument(parsed.domain);
	return withAppSession(context, parsed, options, async (session, app, resolved) => {
		const removed = await session.rpc.call("domains.remove", { app, domain, wait: parsed.wait ?? true }, callOptions(options));
		return { app, server: resolved.server, ...domainForms(removed.domain) };
	});
}

/** `deploy domains ls`: the agent's list (with the proxy's certificates), each domain's DNS checked in parallel. */
export async function listDomains(context: ApiContext, input: DomainListInput, options: StreamOptions = {}): Promise<DomainList> {
	const parsed = validateInput(listInput, input, HINT);
	return withAppSession(context, parsed, options, async (session, app, resolved) => {
		const [listed, address] = await Promise.all([session.rpc.call("domains.list", { app }, callOptions(options)), serverAddress(resolved.server)]);
		const domains = await Promise.all(
			listed.domains.map(
				async (entry): Promise<DomainInfo> => ({
					...domainForms(entry.name),
					source: entry.source,
					addedAt: entry.addedAt,
					dns: await dnsFor(entry.name, address, parsed.dnsCheck),
					certificate: entry.certificate,
				}),
			),
		);
		return { app, server: resolved.server, defaultHost: listed.defaultHost, domains };
	}, "read");
}
