import type { AppSpec, DeploymentUrl } from "../../core/protocol/index.js";
import type { HasHome, HasProxy, HasSetup } from "../context/parts.js";
import { appHosts } from "../domains/hosts.js";
import { servingUrlOf, tlsHostsOf } from "../proxy/tls.js";

/**
 * Issue 14: every URL a deployment answers at, the one that works first, each with its
 * certificate's state. Before this a deploy printed one URL, its first domain's, even
 * a preview's `https://main-express.shop.example.test` that needed a wildcard DNS record
 * and a certificate, and never the sslip.io URL that worked.
 */
export async function deploymentUrls(agent: HasHome & HasProxy & HasSetup, spec: Pick<AppSpec, "name" | "domains" | "preview">): Promise<DeploymentUrl[]> {
	const driver = agent.requireDriver();
	const hosts = await appHosts(agent, spec);
	const generated = driver.defaultHost(spec.name);
	const tlsHosts = agent.setup ? tlsHostsOf(agent.setup, hosts) : [];
	// A proxy that cannot tell leaves every TLS host pending: the URL is still printed, with the truth it knows.
	const certificates = tlsHosts.length > 0 ? await driver.certificates(tlsHosts).catch(() => []) : [];
	const states = new Map(certificates.map((c) => [c.host, c.state]));
	const urls = hosts.map((host): DeploymentUrl => {
		const certificate = states.get(host) ?? (tlsHosts.includes(host) ? "pending" : "none");
		const kind = host === generated ? "generated" : spec.preview ? "preview-domain" : "domain";
		return { url: agent.setup ? servingUrlOf(agent.setup, host, certificate) : `http://${host}`, host, kind, certificate };
	});
	return orderUrls(urls);
}

/**
 * The order to try them in, pure. What surely works first: the generated host (sslip.io
 * resolves it with no DNS setup) unless its certificate is missing; a custom domain
 * with a valid certificate (the CA reached this server by that name, so DNS points
 * here); a production domain on a server without TLS (the user routed it; nothing
 * here can say otherwise). Then the rest: domains waiting for a certificate, preview
 * hosts needing a wildcard record. Among those that work, a production app's own
 * domain comes before its generated host; a preview's generated host first.
 */
const KIND_ORDER: Record<DeploymentUrl["kind"], number> = { domain: 0, generated: 1, "preview-domain": 2 };

export function orderUrls(urls: readonly DeploymentUrl[]): DeploymentUrl[] {
	const works = (u: DeploymentUrl) => u.certificate === "valid" || (u.certificate === "none" && u.kind !== "preview-domain");
	const rank = (u: DeploymentUrl) => (works(u) ? 0 : 3) + KIND_ORDER[u.kind];
	return urls
		.map((u, index) => ({ u, index }))
		.sort((a, b) => rank(a.u) - rank(b.u) || a.index - b.index)
		.map(({ u }) => u);
}
