import { Resolver } from "node:dns/promises";
import { isIP } from "node:net";
import type { DnsCheck } from "../api/domains.js";

export type { DnsCheck };

/** Short on purpose: the check runs beside `domains add`/`ls` and must not hold them up. */
const DEFAULT_TIMEOUT_MS = 1500;
/** Answers that mean "no such record", as opposed to a resolver that did not answer. */
const NO_RECORD = new Set(["ENOTFOUND", "ENODATA", "NXDOMAIN", "NOTFOUND", "NODATA"]);

export interface DnsCheckOptions {
	timeoutMs?: number;
	/**
	 * The resolvers to ask, as `ip` or `ip:port`; default the system's. DEPLOY_DNS_SERVERS
	 * (comma-separated) sets them too: for split-horizon setups, and for tests with a local DNS server.
	 */
	servers?: string[];
}

/**
 * Resolves the domain's A, AAAA and CNAME records (in parallel, one short timeout) and
 * compares them with the server's address (an IP: `servers add` resolves it once).
 */
export async function checkDns(domain: string, serverAddress: string, options: DnsCheckOptions = {}): Promise<DnsCheck> {
	const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
	const resolver = new Resolver({ timeout: timeoutMs, tries: 1 });
	const servers = options.servers ?? process.env.DEPLOY_DNS_SERVERS?.split(",").map((s) => s.trim()).filter(Boolean);
	if (servers?.length) resolver.setServers(servers);
	const deadline = setTimeout(() => resolver.cancel(), timeoutMs + 250);
	try {
		const [v4, v6, cname] = await Promise.allSettled([resolver.resolve4(domain), resolver.resolve6(domain), resolver.resolveCname(domain)]);
		const addresses = [...fulfilled(v4), ...fulfilled(v6)];
		const target = fulfilled(cname)[0] ?? null;
		const answered = [v4, v6].every((r) => r.status === "fulfilled" || NO_RECORD.has((r.reason as NodeJS.ErrnoException).code ?? ""));
		return describe(domain, serverAddress, addresses, target, answered);
	} finally {
		clearTimeout(deadline);
	}
}

function fulfilled(result: PromiseSettledResult<string[]>): string[] {
	return result.status === "fulfilled" ? result.value : [];
}

/** Pure: the state, the record to create and the sentence, from what DNS answered. */
export function describe(domain: string, expected: string, addresses: string[], cname: string | null, answered: boolean): DnsCheck {
	const base = { addresses, cname, expected };
	const type = isIP(expected) === 6 ? "AAAA" : isIP(expected) === 4 ? "A" : "CNAME";
	const record = { type, name: domain, value: expected } as const;
	const create = `${type === "CNAME" ? "a" : "an"} ${type} record ${domain} → ${expected}`;
	if (addresses.includes(expected)) return { ...base, state: "ok", record: null, message: `${domain} resolves to this server (${expected}).` };
	if (addresses.length > 0) {
		const via = cname ? ` (through CNAME ${cname})` : "";
		return { ...base, state: "elsewhere", record, message: `${domain} resolves to ${addresses.join(", ")}${via}, not to this server: make it ${create}.` };
	}
	if (!answered) return { ...base, state: "unknown", record, message: `DNS did not answer for ${domain} in time; make sure it has ${create}.` };
	return { ...base, state: "missing", record, message: `${domain} does not resolve yet: create ${create} at your DNS provider.` };
}
