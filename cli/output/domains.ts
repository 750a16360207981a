import type { DnsCheck, DomainInfo } from "../../core/api/domains.js";
import { pc } from "./colors.js";
import { table } from "./human.js";

/** Both forms when they differ: `bücher.example (xn--bcher-kva.example)`. */
export function domainLabel(ascii: string, unicode: string): string {
	return unicode === ascii ? ascii : `${unicode} (${ascii})`;
}

/** The DNS check as a warning for stderr; nothing when the name points at the server or was not checked. */
export function dnsWarning(dns: DnsCheck | null): string | null {
	if (!dns || dns.state === "ok") return null;
	return `${pc.yellow("warning")} ${dns.message}`;
}

function certificateCell(certificate: DomainInfo["certificate"]): string {
	if (certificate.state === "none") return certificate.message ? `none (${certificate.message})` : "none";
	const parts = [certificate.state, certificate.issuer ?? "", certificate.notAfter ? `until ${certificate.notAfter.slice(0, 10)}` : ""].filter(Boolean);
	return `${parts.join(", ")}${certificate.message ? ` (${certificate.message})` : ""}`;
}

function dnsCell(dns: DnsCheck | null): string {
	if (!dns) return "-";
	if (dns.state === "ok") return "ok";
	if (dns.state === "elsewhere") return `elsewhere: ${dns.addresses.join(", ")}`;
	return dns.record ? `${dns.state}: needs ${dns.record.type} → ${dns.record.value}` : dns.state;
}

export function domainsTable(domains: DomainInfo[]): string {
	const rows = domains.map((d) => [domainLabel(d.domain, d.unicode), d.source === "config" ? "deploy.yaml" : "added", dnsCell(d.dns), certificateCell(d.certificate)]);
	return table(rows, ["DOMAIN", "SOURCE", "DNS", "CERTIFICATE"]);
}
