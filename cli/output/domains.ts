import type { DnsCheck, DomainAddResult, DomainInfo } from "../../core/api/domains.js";
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

/**
 * Issue 14: what `domains add` prints on stdout, true to what the proxy does: the route
 * is live at the URL that serves now, and the certificate is issued (HTTP redirects to
 * HTTPS), pending (HTTP serves the domain meanwhile) or not wanted (a --no-tls server).
 */
export function domainAddedLine(result: DomainAddResult): string {
	const where = pc.dim(`(on ${result.server}, no redeploy)`);
	const name = domainLabel(result.domain, result.unicode);
	const { certificate } = result;
	switch (certificate.state) {
		case "valid":
			return `${pc.green("✔")} ${result.app} answers on ${result.url} ${where}\n  certificate issued for ${name} by ${certificate.issuer ?? "the CA"}${certificate.notAfter ? `, until ${certificate.notAfter.slice(0, 10)}` : ""}; HTTP redirects to HTTPS`;
		case "pending":
			return `${pc.green("✔")} route live: ${result.app} answers on ${result.url} ${where}\n  ${pc.yellow("…")} certificate for ${name} pending: HTTP serves it until the CA issues one, then redirects to HTTPS. \`deploy domains ls\` shows its state.`;
		case "none":
			return `${pc.green("✔")} ${result.app} answers on ${result.url} ${where}\n  no certificate: this server serves plain HTTP (added with --no-tls)`;
		default:
			return `${pc.green("✔")} route live: ${result.app} answers on ${result.url} ${where}\n  certificate for ${name}: ${certificateCell(certificate)}`;
	}
}
