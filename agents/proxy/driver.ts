import type { ProxyKind, ServerSetup } from "../../core/protocol/index.js";
import type { RouteRules } from "../../core/protocol/routing.js";

/**
 * The one route model every proxy driver renders: hosts and upstreams (issue 2),
 * TLS and HTTP rules (issue 6).
 */
export interface AppRoute {
	app: string;
	/** Exact host names this app answers to (no ports). */
	hosts: string[];
	/** Where the app's healthy instances listen; always loopback. Empty only for a static route on a proxy that serves files. */
	upstreams: { host: string; port: number }[];
	/**
	 * A static site: the absolute folder served as files, with SPA fallback to
	 * index.html. A proxy that serves files (Caddy) serves it itself; the others
	 * proxy to the upstreams, the agent's own static server.
	 */
	static?: { root: string; spa: boolean } | undefined;
	/**
	 * Issue 6: hosts served over HTTPS with a certificate from the server's ACME CA; HTTP to
	 * them redirects to HTTPS once the certificate is held (issue 14: served until then).
	 * The rest stay plain HTTP.
	 */
	tlsHosts?: string[] | undefined;
	/** Issue 6: redirects, rewrites and response headers (HSTS among them), rendered alike by every driver. */
	rules?: RouteRules | undefined;
}

/** Issue 6: a certificate as the proxy holds it, for `deploy domains ls`. */
export interface CertificateInfo {
	host: string;
	/** The issuing CA's name as the certificate says; null while none was issued. */
	issuer: string | null;
	notAfter: string | null;
	state: "valid" | "pending" | "expired" | "failed" | "none";
	/** Why it is pending or failed, when the proxy tells. */
	message?: string;
}

export interface ProxyDriver {
	readonly kind: ProxyKind;
	/** Whether the proxy serves a static route's files itself (no app process needed). */
	readonly servesFiles: boolean;
	/**
	 * Starts the proxy when it is not running, detached so that it outlives the agent,
	 * and restores every stored route. Throws DeployError `PROXY_UNAVAILABLE` (with a
	 * hint that names the way out) when the proxy cannot run on this server.
	 */
	ensureRunning(): Promise<{ version: string | null }>;
	/** Replaces the app's route atomically: requests go to the old upstreams or the new, never nowhere. */
	applyRoute(route: AppRoute): Promise<void>;
	removeRoute(app: string): Promise<void>;
	/** The URL an app without a domain answers at, e.g. `http://hello.203.0.113.7.sslip.io:8080`. */
	defaultHost(app: string): string;
	defaultUrl(app: string): string;
	/** Whether the proxy runs now, for `status`: looks only, never starts or changes it. */
	health(): Promise<ProxyHealth>;
	/**
	 * Issue 6: the certificates the proxy holds (or is obtaining) for these hosts. Changes
	 * nothing, except (issue 14) rendering the HTTPS redirects again when a certificate
	 * arrived since the last render. `failuresSince`: a failure logged before it does not count.
	 */
	certificates(hosts: readonly string[], options?: { failuresSince?: Date }): Promise<CertificateInfo[]>;
	/** Stops what ensureRunning started (tests and `servers rm`); routes stay stored. */
	stop(): Promise<void>;
}

export interface ProxyHealth {
	running: boolean;
	/** Why it is not running, when the driver can tell. */
	message?: string;
}

export interface ProxyDriverOptions {
	setup: ServerSetup;
	/** The agent's proxy folder, `<DEPLOY_AGENT_HOME>/proxy`: config, state, proxy logs. */
	dir: string;
	log: (line: string) => void;
	/** Issue 12: where the agent installs a proxy from its release tarball; searched before PATH. */
	binDir?: string;
	/** Issue 12: systemd runs the proxy (deploy-proxy.service) instead of the agent spawning it. */
	systemd?: boolean;
}
