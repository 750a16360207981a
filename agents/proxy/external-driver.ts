import { generatedHost } from "../../core/protocol/hosts.js";
import { certificateState, type HeldCertificate } from "./certificate-state.js";
import type { AppRoute, CertificateInfo, ProxyDriverOptions } from "./driver.js";
import { renderedTlsHosts, urlOf } from "./tls.js";

/**
 * What Caddy and Traefik share as drivers: an app's generated sslip.io host and URL,
 * and the certificate report read from the proxy's own storage and log. Written once
 * here; each driver says only where its routes, certificates and failures are.
 */
export abstract class ExternalProxyDriver {
	constructor(protected readonly options: ProxyDriverOptions) {}

	defaultHost(app: string): string {
		return generatedHost(app, this.options.setup.address);
	}

	defaultUrl(app: string): string {
		return urlOf(this.options.setup, this.defaultHost(app));
	}

	/** What the proxy's storage holds for each host, and for TLS hosts without one, whether the proxy logged a failure. */
	async certificates(hosts: readonly string[], options: { failuresSince?: Date } = {}): Promise<CertificateInfo[]> {
		const tlsHosts = new Set((await this.storedRoutes()).flatMap((route) => renderedTlsHosts(this.options.setup, route)));
		const held = await this.heldCertificates(hosts);
		// After reading them: a certificate stored meanwhile is seen by the sync too, so "valid" here always has its redirect.
		await this.syncCertified();
		const failures = await this.certificateFailures(hosts, options.failuresSince);
		return hosts.map((host) => certificateState(host, tlsHosts.has(host), held.get(host), failures.get(host)));
	}

	/** The routes the driver stores. */
	protected abstract storedRoutes(): Promise<AppRoute[]>;
	/** The certificates the proxy holds for these hosts. */
	protected abstract heldCertificates(hosts: readonly string[]): Promise<Map<string, HeldCertificate>>;
	/** The last failure the proxy logged per host (since `since`). */
	protected abstract certificateFailures(hosts: readonly string[], since: Date | undefined): Promise<Map<string, string>>;
	/** Renders the HTTPS redirects again when a certificate arrived since the last render. */
	protected abstract syncCertified(): Promise<void>;
}
