import type { AppSpec } from "../../core/protocol/index.js";
import type { HasHome, HasProxy } from "../context/parts.js";
import { readAddedDomains } from "./store.js";

/**
 * Issue 6: every host an app answers on: its generated default host, then deploy.yaml's
 * domains (as the release was deployed), then those added with `deploy domains add`
 * (apps/<app>/domains.json), without repeats. The one place the route and the URL get
 * an app's hosts from, so deploys, rollbacks, scale and the reconcile after an agent
 * restart all keep the added domains.
 *
 * For TLS (agents/proxy/tls.ts): every host here after the first (the generated
 * `<app>.<address>.sslip.io` one) is a custom domain that should get a certificate.
 * Custom domains are exact names only: wildcards (`*.example.com`) are refused at every
 * boundary (core/protocol/domains.ts checkDomainName), because HTTP-01 and TLS-ALPN-01
 * cannot issue wildcard certificates and DNS-01 is not supported. Names are lowercase
 * ASCII (IDN already converted to punycode), at least two labels, never an IP address.
 */
export async function appHosts(agent: HasHome & HasProxy, spec: Pick<AppSpec, "name" | "domains">): Promise<string[]> {
	const added = await readAddedDomains(agent.home, spec.name);
	return [...new Set([agent.requireDriver().defaultHost(spec.name), ...spec.domains, ...added.map((d) => d.name)])];
}

/** The custom domains among `appHosts`: what gets a certificate. */
export function customDomains(agent: HasProxy, app: string, hosts: readonly string[]): string[] {
	const generated = agent.requireDriver().defaultHost(app);
	return hosts.filter((host) => host !== generated);
}
