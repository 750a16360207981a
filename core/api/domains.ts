import type { CertificateInfoWire, DomainSource } from "../protocol/domains.js";
import type { ApiContext } from "./context.js";
import type { AppTargetInput, StreamOptions } from "./types.js";

export type { DomainSource };

/** What DNS says about a custom domain, from this machine: a warning to act on, never a refusal. */
export interface DnsCheck {
	/** ok: it resolves to the server; missing: no record yet; elsewhere: it resolves to other addresses; unknown: DNS did not answer. */
	state: "ok" | "missing" | "elsewhere" | "unknown";
	/** The A/AAAA addresses the name resolves to now. */
	addresses: string[];
	/** Its CNAME target, when it has one. */
	cname: string | null;
	/** The server's address, which the name should resolve to. */
	expected: string;
	/** The record to create (or change) at the DNS provider; null when the name is fine. */
	record: { type: "A" | "AAAA" | "CNAME"; name: string; value: string } | null;
	/** One sentence for a person. */
	message: string;
}

export type CertificateInfo = CertificateInfoWire;

export interface DomainListInput extends AppTargetInput {
	/** Resolve each domain (A/AAAA/CNAME, short timeout); default true. */
	dnsCheck?: boolean;
}

export interface DomainAddInput extends AppTargetInput {
	/** As typed: Unicode or punycode, any case; validated and stored in ASCII form. */
	domain: string;
	dnsCheck?: boolean;
	/** When a deploy of the app runs: wait for it (default), or fail with DEPLOY_IN_PROGRESS. */
	wait?: boolean;
	/**
	 * Issue 14: seconds to wait for the domain's certificate once routed (0 to 600;
	 * default 0: answer at once with its state). A refused certificate is CERTIFICATE_FAILED.
	 */
	certificateWaitSeconds?: number;
}

export interface DomainRemoveInput extends AppTargetInput {
	domain: string;
	wait?: boolean;
}

export interface DomainInfo {
	/** ASCII (punycode) form: what DNS and the proxy use. */
	domain: string;
	/** Unicode form, for people; equal to `domain` for plain ASCII names. */
	unicode: string;
	/** config: from deploy.yaml (deployed with the app); added: from `deploy domains add`. */
	source: DomainSource;
	addedAt: string | null;
	/** null when the check was skipped. */
	dns: DnsCheck | null;
	/** As the server's proxy holds it. */
	certificate: CertificateInfo;
}

export interface DomainList {
	app: string;
	server: string;
	/** The generated host the app always answers on (not a custom domain). */
	defaultHost: string;
	domains: DomainInfo[];
}

export interface DomainAddResult {
	app: string;
	server: string;
	domain: string;
	unicode: string;
	source: DomainSource;
	/** false when the app had the domain already (nothing was changed). */
	changed: boolean;
	dns: DnsCheck | null;
	/** Issue 14: the certificate's state after the wait: valid (issued), pending, none (no TLS on this server). */
	certificate: CertificateInfo;
	/** The URL that serves the domain now: https:// once the certificate is valid, else http://. */
	url: string;
}

export interface DomainRemoveResult {
	app: string;
	server: string;
	domain: string;
	unicode: string;
}

/**
 * issue 6: the api groups for custom domains and their certificates, merged into Api (core/api/index.ts). Each
 * method loads its implementation on first use, like the rest of the api.
 */
export interface DomainsApiGroups {
	domains: {
		/** The app's custom domains: source, DNS state and certificate each. */
		list(input: DomainListInput, options?: StreamOptions): Promise<DomainList>;
		/** Routes a domain to the live app at once (no redeploy); kept on the server across deploys and restarts. */
		add(input: DomainAddInput, options?: StreamOptions): Promise<DomainAddResult>;
		/** Stops routing an added domain; deploy.yaml's are refused (DOMAIN_IN_CONFIG). */
		remove(input: DomainRemoveInput, options?: StreamOptions): Promise<DomainRemoveResult>;
	};
}

export function createDomainsApiGroups(context: ApiContext): DomainsApiGroups {
	return {
		domains: {
			list: async (input, options) => (await import("../domains/remote.js")).listDomains(context, input, options),
			add: async (input, options) => (await import("../domains/remote.js")).addDomain(context, input, options),
			remove: async (input, options) => (await import("../domains/remote.js")).removeDomain(context, input, options),
		},
	};
}
