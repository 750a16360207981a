import { join } from "node:path";
import { stringify } from "yaml";
import { DeployError, type ServerSetup } from "../../../core/protocol/index.js";
import type { AppRoute } from "../driver.js";
import { hostPort } from "../route.js";
import { acmeOf, httpHostsOf, renderedTlsHosts, tlsEnabled } from "../tls.js";
import { withTraefikRetry } from "./retry.js";
import { withTraefikRules } from "./rules.js";

/** Where the Traefik driver keeps its files inside the agent's proxy folder. */
export function traefikPaths(dir: string) {
	return {
		static: join(dir, "traefik.yaml"),
		dynamic: join(dir, "dynamic"),
		acme: join(dir, "acme.json"),
		accessLog: join(dir, "access.log"),
		log: join(dir, "traefik.log"),
		pid: join(dir, "traefik.pid"),
		routes: join(dir, "routes"),
		/** The PEM the server was added with (`--acme-ca-root`), for Traefik's ACME client. */
		acmeCaRoot: join(dir, "acme-ca-root.pem"),
	};
}

export function dynamicFile(dir: string, app: string): string {
	return join(traefikPaths(dir).dynamic, `${app}.yaml`);
}

/** The certificate resolver every TLS router names. */
export const certResolver = "acme";

/**
 * Traefik's static configuration (<dir>/traefik.yaml): entry points, the file
 * provider watching one file per app, the ACME resolver (the server's CA, Let's
 * Encrypt by default; HTTP-01 on `web` and TLS-ALPN-01 on `websecure`) and JSON logs.
 * Renewal is Traefik's: 30 days before expiry for 90-day certificates (its default).
 * Without TLS (`--no-tls`) there is no HTTPS entry point and no resolver.
 */
export function renderTraefikStatic(setup: ServerSetup, dir: string): object {
	const paths = traefikPaths(dir);
	const tls = tlsEnabled(setup);
	const acme = acmeOf(setup);
	return {
		// Traefik would otherwise call home at start; a server's proxy has no reason to.
		global: { checkNewVersion: false, sendAnonymousUsage: false },
		entryPoints: {
			web: { address: `:${setup.httpPort}` },
			...(tls ? { websecure: { address: `:${setup.httpsPort}` } } : {}),
		},
		providers: { file: { directory: paths.dynamic, watch: true } },
		...(tls
			? {
					certificatesResolvers: {
						[certResolver]: {
							acme: {
								caServer: acme.directory,
								...(acme.email ? { email: acme.email } : {}),
								// Newer Traefik reads the CA's root here; older v3 only from LEGO_CA_CERTIFICATES (set by the driver).
								...(acme.caRoot ? { caCertificates: [paths.acmeCaRoot] } : {}),
								storage: paths.acme,
								httpChallenge: { entryPoint: "web" },
								tlsChallenge: {},
							},
						},
					},
				}
			: {}),
		accessLog: { filePath: paths.accessLog, format: "json" },
		// JSON, so that the driver can read why a certificate failed (agents/proxy/traefik/certificates.ts).
		log: { filePath: paths.log, level: "INFO", format: "json" },
	};
}

/**
 * One app's dynamic configuration (<dir>/dynamic/<app>.yaml): a round-robin service;
 * a router on `web` for the plain-HTTP hosts; for TLS hosts a router on `websecure`
 * with the ACME resolver and one on `web` that only redirects to HTTPS, once `certified`
 * holds the host (issue 14: until then the `web` router serves it; agents/proxy/tls.ts httpHostsOf).
 */
export function renderTraefikDynamic(route: AppRoute, setup: ServerSetup, certified?: ReadonlySet<string>): object {
	// Traefik cannot serve files: a static site reaches it through the agent's static server.
	if (route.upstreams.length === 0) {
		throw new DeployError("INVALID_ROUTE", `Traefik cannot serve the static site of ${route.app} without an upstream.`, "This is a bug in the agent; report it.");
	}
	const tlsHosts = renderedTlsHosts(setup, route);
	const { served: plainHosts, redirected } = httpHostsOf(route, tlsHosts, certified);
	const rule = (hosts: string[]) => hosts.map((host) => `Host(\`${host}\`)`).join(" || ");
	// `_` cannot be in an app name, so these never collide with another app's router or middleware.
	const redirect = `${route.app}_https-redirect`;
	const routers: Record<string, object> = {};
	if (plainHosts.length > 0) routers[route.app] = { rule: rule(plainHosts), service: route.app, entryPoints: ["web"] };
	if (redirected.length > 0) routers[redirect] = { rule: rule(redirected), service: route.app, entryPoints: ["web"], middlewares: [redirect] };
	if (tlsHosts.length > 0) {
		routers[`${route.app}_tls`] = { rule: rule(tlsHosts), service: route.app, entryPoints: ["websecure"], tls: { certResolver } };
	}
	// Issue 6: redirects, rewrites and headers as middlewares (./rules.ts); the dial retry after them (./retry.ts).
	const ruled = withTraefikRules(route, {
		http: {
			routers,
			...(redirected.length > 0 ? { middlewares: { [redirect]: { redirectScheme: httpsRedirect(setup.httpsPort) } } } : {}),
			services: {
				[route.app]: {
					loadBalancer: {
						servers: route.upstreams.map((upstream) => ({ url: `http://${hostPort(upstream.host, upstream.port)}` })),
					},
				},
			},
		},
	});
	return withTraefikRetry(route, ruled);
}

/** A permanent redirect to the same URL over HTTPS (301 or 308, as Traefik picks by method). */
function httpsRedirect(httpsPort: number): object {
	return { scheme: "https", permanent: true, ...(httpsPort === 443 ? {} : { port: String(httpsPort) }) };
}

/**
 * The TLS options every router uses (`default`): TLS 1.2 at least. In their own dynamic
 * file, named so that no app's file can be called the same (app names have no `_`).
 */
export function renderTraefikTlsOptions(): object {
	return { tls: { options: { default: { minVersion: "VersionTLS12" } } } };
}

export const tlsOptionsFile = "_tls.yaml";

/**
 * The one YAML serialization of Traefik config, shared by the driver and the golden-file
 * tests. Values are double-quoted as in Traefik's docs, so `:80` or a rule with
 * backticks can never be read as anything but a string.
 */
export function renderTraefikYaml(config: object): string {
	return stringify(config, { lineWidth: 0, defaultStringType: "QUOTE_DOUBLE", defaultKeyType: "PLAIN" });
}

/** What Go's text/template prints for this action: `{{`. */
export const GO_TEMPLATE_OPEN = '{{"{{"}}';

/**
 * The text of a file in the dynamic folder. Traefik's file provider runs each such file
 * through Go's text/template (with sprig's functions) before it reads the YAML, so a
 * `{{` that came from deploy.yaml (a header value) would be evaluated: `{{ env "X" }}`
 * reads the proxy's environment, and a stray `{{` makes the file unreadable, which
 * blocks the reload of every app's routes. Each `{{` becomes an action that prints
 * `{{` back; `}}` outside an action is plain text. The static file is not templated.
 */
export function renderTraefikDynamicYaml(config: object): string {
	return renderTraefikYaml(config).replaceAll("{{", GO_TEMPLATE_OPEN);
}
