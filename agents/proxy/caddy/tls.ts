import type { ServerSetup } from "../../../core/protocol/index.js";
import { acmeOf } from "../tls.js";
import type { caddyPaths } from "./config.js";

/**
 * The HTTPS server: TLS 1.2 at least (Caddy's default too, stated so that it stays),
 * the apps' TLS routes (the 404 fallback last). Caddy's own redirects are
 * off: `deploy` redirects exactly the TLS hosts (httpsRedirectRoute).
 */
export function renderTlsServer(setup: ServerSetup, routes: object[]): object {
	return {
		listen: [`:${setup.httpsPort}`],
		automatic_https: { disable_redirects: true },
		tls_connection_policies: [{ protocol_min: "tls1.2" }],
		routes,
	};
}

/**
 * Certificates for the TLS hosts from the server's ACME CA. HTTP-01 and TLS-ALPN-01 are
 * answered on the proxy's own ports (alternate_port), so a server on other ports than
 * 80/443 never makes Caddy bind those. Renewal is Caddy's: a third of the lifetime
 * before expiry (30 days for Let's Encrypt's 90-day certificates).
 */
export function renderTlsApp(setup: ServerSetup, paths: ReturnType<typeof caddyPaths>, hosts: string[]): object {
	const acme = acmeOf(setup);
	return {
		automation: {
			policies: [
				{
					subjects: [...new Set(hosts)].sort(),
					issuers: [
						{
							module: "acme",
							ca: acme.directory,
							...(acme.email ? { email: acme.email } : {}),
							...(acme.caRoot ? { trusted_roots_pem_files: [paths.acmeCaRoot] } : {}),
							challenges: { http: { alternate_port: setup.httpPort }, "tls-alpn": { alternate_port: setup.httpsPort } },
						},
					],
				},
			],
		},
	};
}

/** HTTP to a TLS host: a permanent redirect (308 keeps the method and body) to the same URL over HTTPS. */
export function httpsRedirectRoute(hosts: string[], httpsPort: number): object {
	const authority = httpsPort === 443 ? "{http.request.host}" : `{http.request.host}:${httpsPort}`;
	return {
		"@id": "https-redirect",
		match: [{ host: hosts }],
		handle: [{ handler: "static_response", status_code: 308, headers: { Location: [`https://${authority}{http.request.uri}`] } }],
		terminal: true,
	};
}
