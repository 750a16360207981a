import { BlockList, isIP } from "node:net";
import { httpUrl, isGeneratedHost } from "../../core/protocol/hosts.js";
import { type AcmeSettings, letsEncryptDirectory, type ServerSetup } from "../../core/protocol/index.js";
import type { AppRoute } from "./driver.js";

/**
 * Issue 6: which hosts get a certificate from the server's ACME CA. The proxy answers
 * the HTTP-01 / TLS-ALPN-01 challenge itself, so a host qualifies only when the CA can
 * reach it on 80/443 of this server by that name:
 * - nothing when the server was added with `--no-tls` (or runs the builtin preview proxy);
 * - custom domains, but not wildcards (they need DNS-01), single-label names, *.localhost or IPs;
 * - the generated `<app>.<address>.sslip.io` hosts only when the proxy listens on 80 and
 *   443 and the address is public: a CA validates on those ports only, from the
 *   internet, so elsewhere they stay plain HTTP rather than redirect to an HTTPS that
 *   can never get a certificate.
 */
export function tlsHostsOf(setup: ServerSetup, hosts: readonly string[]): string[] {
	return hosts.filter((host) => wantsTls(setup, host));
}

export function wantsTls(setup: ServerSetup, host: string): boolean {
	if (!tlsEnabled(setup)) return false;
	if (host.includes("*") || !host.includes(".") || host.endsWith(".localhost") || isIP(host)) return false;
	if (isGeneratedHost(host, setup.address)) return setup.httpPort === 80 && setup.httpsPort === 443 && isPublicAddress(setup.address);
	return true;
}

export function tlsEnabled(setup: ServerSetup): boolean {
	return setup.proxy !== "builtin" && setup.tls !== false;
}

/** The CA in effect: the server's own, or Let's Encrypt for servers added without `--acme-ca`. */
export function acmeOf(setup: ServerSetup): AcmeSettings {
	return setup.acme ?? { directory: letsEncryptDirectory };
}

/** Addresses no public CA can reach: private, loopback, link-local, shared (CGNAT) ranges. */
const unreachable = new BlockList();
for (const [network, prefix] of [
	["0.0.0.0", 8],
	["10.0.0.0", 8],
	["100.64.0.0", 10],
	["127.0.0.0", 8],
	["169.254.0.0", 16],
	["172.16.0.0", 12],
	["192.168.0.0", 16],
] as const) {
	unreachable.addSubnet(network, prefix, "ipv4");
}
for (const [network, prefix] of [
	["::1", 128],
	["fc00::", 7],
	["fe80::", 10],
] as const) {
	unreachable.addSubnet(network, prefix, "ipv6");
}

function isPublicAddress(address: string): boolean {
	const family = isIP(address);
	if (family === 0) return true; // a name: whoever set it up made it resolvable
	return !unreachable.check(address, family === 4 ? "ipv4" : "ipv6");
}

/** The route's TLS hosts, from the setup the agent runs with (none before the server is set up). */
export function routeTls(setup: ServerSetup | null, hosts: readonly string[]): Pick<AppRoute, "tlsHosts"> {
	if (!setup) return {};
	const tlsHosts = tlsHostsOf(setup, hosts);
	return tlsHosts.length > 0 ? { tlsHosts } : {};
}

/** The URL a person opens for a host: https on the HTTPS port for a TLS host, else http; default ports left out. */
export function urlOf(setup: ServerSetup, host: string): string {
	if (wantsTls(setup, host)) return setup.httpsPort === 443 ? `https://${host}` : `https://${host}:${setup.httpsPort}`;
	return httpUrl(host, setup.httpPort);
}

/**
 * The TLS hosts a driver renders: the route's, except when the server now runs without
 * TLS (a route stored before `--no-tls` must not keep redirecting to HTTPS).
 */
export function renderedTlsHosts(setup: ServerSetup, route: AppRoute): string[] {
	if (!tlsEnabled(setup)) return [];
	return (route.tlsHosts ?? []).filter((host) => route.hosts.includes(host));
}

/**
 * Issue 14: how a route's hosts are served on HTTP. `redirected`: TLS hosts whose
 * certificate the proxy holds (agents/proxy/certified-hosts.ts); `served`: every other
 * host, TLS hosts still waiting for theirs among them, so their http:// URL works
 * meanwhile. `certified` absent: every TLS host counts as certified (the layout once
 * all certificates are there; what the renderers' own tests check).
 */
export function httpHostsOf(route: Pick<AppRoute, "hosts">, tlsHosts: readonly string[], certified?: ReadonlySet<string>): { served: string[]; redirected: string[] } {
	const redirected = tlsHosts.filter((host) => !certified || certified.has(host));
	return { served: route.hosts.filter((host) => !redirected.includes(host)), redirected };
}

/** Every TLS host a driver renders for these routes. */
export function tlsHostsOfRoutes(setup: ServerSetup, routes: readonly AppRoute[]): string[] {
	return routes.flatMap((route) => renderedTlsHosts(setup, route));
}

/**
 * Issue 14: the URL that serves a host now. A TLS host is https:// once its certificate
 * is valid; before that (pending, failed) HTTP serves it unredirected, so http:// is the
 * one that works. Hosts without TLS: http://.
 */
export function servingUrlOf(setup: ServerSetup, host: string, certificate: "valid" | "pending" | "expired" | "failed" | "none"): string {
	if (wantsTls(setup, host) && certificate === "valid") return urlOf(setup, host);
	return httpUrl(host, setup.httpPort);
}
