import * as z from "zod";
import type { InputIssueParams } from "./input-issue.js";
import { appName } from "./names.js";

// issue 6: custom domains. The one name rule (used by deploy.yaml, the api, the CLI
// and the agent's RPC alike) and the agent's RPC methods of the area, spread into
// core/protocol/methods.ts. This file is the whole wire contract of the area.

const MAX_NAME = 253;
const MAX_LABEL = 63;
/** What a person may type: bounded before any parsing. */
const MAX_INPUT = 1024;

/** Characters that would make the name a URL, a pattern or two names: refused before IDN conversion. */
const forbidden: [RegExp, string][] = [
	[/\s/u, "must not contain spaces"],
	[/_/, "must not contain underscores (_): host names allow letters, digits and hyphens"],
	[
		/\*/,
		"wildcards (*.example.com) are not supported: their certificates need the DNS-01 challenge, and the proxies here obtain certificates with HTTP-01/TLS-ALPN-01; add each host (e.g. app.example.com) instead",
	],
	[/[/\\?#@:%[\]]/, "must be a bare host name like app.example.com (no scheme, port, path or IP address)"],
	// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused
	[/[\u0000-\u001f\u007f]/, "must not contain control characters"],
];

export type DomainCheck = { ok: true; ascii: string } | { ok: false; problem: string };

/**
 * Checks a custom domain and gives its ASCII form: lowercase, IDN labels converted to
 * punycode (xn--). The conversion is the WHATWG URL host parser, the same algorithm
 * as node:url's domainToASCII, but a global in Node, Electron's sandboxed preload and
 * the browser, so this one rule runs on every side. Idempotent on its own output.
 */
export function checkDomainName(input: string): DomainCheck {
	const fail = (problem: string): DomainCheck => ({ ok: false, problem });
	if (input.length === 0) return fail("must not be empty");
	if (input.length > MAX_INPUT) return fail(`must be at most ${MAX_NAME} characters`);
	for (const [pattern, problem] of forbidden) if (pattern.test(input)) return fail(problem);
	// One trailing dot (a fully qualified name as DNS tools print it) means the same host.
	const name = input.endsWith(".") ? input.slice(0, -1) : input;
	let ascii: string;
	try {
		ascii = new URL(`http://${name}/`).hostname;
	} catch {
		return fail("is not a valid host name (an international name that cannot be converted to punycode, or a numeric last label)");
	}
	if (/^[0-9.]+$/.test(ascii)) return fail("is an IP address: a domain is a name like app.example.com");
	if (ascii.length > MAX_NAME) return fail(`is ${ascii.length} characters long${ascii === name ? "" : " in punycode"}; at most ${MAX_NAME}`);
	const labels = ascii.split(".");
	if (labels.length < 2) return fail("needs at least two labels, like example.com");
	for (const label of labels) {
		if (label.length === 0) return fail("must not have an empty label (two dots in a row, or a leading dot)");
		if (label.length > MAX_LABEL) return fail(`has a label of ${label.length} characters (${label.slice(0, 12)}…); at most ${MAX_LABEL}`);
		if (label.startsWith("-") || label.endsWith("-")) return fail(`has a label that starts or ends with a hyphen (${label})`);
		if (!/^[a-z0-9-]+$/.test(label)) return fail(`has a label with characters a host name cannot hold (${label})`);
	}
	return { ok: true, ascii };
}

/**
 * The same rule, loosely, as a JSON Schema `pattern` for editors (schemas/deploy.schema.json):
 * labels without spaces, underscores, wildcards, URL characters or edge hyphens, at least
 * two. Unicode labels pass; their punycode length is checked by `checkDomainName` only.
 */
const labelChar = "[^\\s_*/\\\\?#@:%\\[\\].]";
const labelEdge = "[^\\s_*/\\\\?#@:%\\[\\].-]";
const editorLabel = `${labelEdge}(?:${labelChar}{0,61}${labelEdge})?`;
export const domainNamePattern = `^${editorLabel}(?:\\.${editorLabel})+\\.?$`;

/**
 * A custom domain at any boundary: validated with `checkDomainName`, and normalized
 * to its ASCII form (what the proxy routes and DNS resolves). The display form is
 * node:url's domainToUnicode of it (core/domains/names.ts).
 */
export const domainName = z
	.string()
	.overwrite((value) => {
		const checked = checkDomainName(value.trim());
		return checked.ok ? checked.ascii : value;
	})
	.superRefine((value, ctx) => {
		const checked = checkDomainName(value);
		if (checked.ok) return;
		const params: InputIssueParams = {
			sentence: `${JSON.stringify(value)} is not a valid domain: ${checked.problem}.`,
			hint: "A domain is a host name like app.example.com: labels of letters, digits and hyphens, at least two.",
		};
		ctx.addIssue({ code: "custom", message: checked.problem, input: value, params });
	})
	.meta({ pattern: domainNamePattern });

/** Where an app's domain comes from: its deploy.yaml (deployed with it) or `deploy domains add` (kept by the agent). */
export const domainSource = z.enum(["config", "added"]);
export type DomainSource = z.infer<typeof domainSource>;

/** A certificate as the proxy holds it (agents/proxy/driver.ts CertificateInfo). */
/** valid/expired: held; failed: the proxy logged why not; pending: being obtained; none: the host is served without TLS. */
export const certificateState = z.enum(["valid", "pending", "expired", "failed", "none"]);

export const certificateInfo = z.object({
	host: z.string(),
	issuer: z.string().nullable(),
	notAfter: z.string().nullable(),
	state: certificateState,
	message: z.string().optional(),
});
export type CertificateInfoWire = z.infer<typeof certificateInfo>;

export const appDomain = z.object({
	/** ASCII (punycode) form. */
	name: z.string(),
	source: domainSource,
	/** When `domains add` added it; null for deploy.yaml's. */
	addedAt: z.string().nullable(),
	certificate: certificateInfo,
});
export type AppDomain = z.infer<typeof appDomain>;

/** The longest `domains add --wait` may wait for a certificate: ten minutes. */
export const MAX_CERTIFICATE_WAIT_MS = 600_000;

/** Issue 14: the api's and the CLI's bound on that wait, in whole seconds. */
export const certificateWaitSeconds = z
	.number()
	.int()
	.min(0)
	.max(MAX_CERTIFICATE_WAIT_MS / 1000, "must be at most 600 seconds (10 minutes)");

export const domainsMethods = {
	"domains.list": {
		/** The app's custom domains (deploy.yaml's as deployed, then added ones) with their certificates, read from the proxy. */
		params: z.object({ app: appName }),
		result: z.object({ app: appName, defaultHost: z.string(), domains: z.array(appDomain) }),
	},
	"domains.add": {
		/**
		 * Adds a domain to the live app: kept in apps/<app>/domains.json and routed at once
		 * (no redeploy); every later route of the app (deploy, rollback, scale, reconcile) has it.
		 * A host another app answers on is HOST_IN_USE, and nothing changes.
		 */
		params: z.object({
			app: appName,
			domain: domainName,
			wait: z.boolean().default(true),
			/**
			 * Issue 14: how long to wait, once routed, for the proxy to obtain the domain's
			 * certificate (a `certificate` step); 0 answers at once with its state (pending).
			 */
			certificateWaitMs: z.number().int().min(0).max(MAX_CERTIFICATE_WAIT_MS).default(0),
		}),
		result: z.object({
			app: appName,
			domain: z.string(),
			source: domainSource,
			changed: z.boolean(),
			/** Issue 14: the certificate's state when the answer was made (after the wait). */
			certificate: certificateInfo,
			/** The URL that serves the domain now: https:// once its certificate is valid, else http:// (served, not redirected, until then). */
			url: z.string(),
		}),
	},
	"domains.remove": {
		/** Removes an added domain and re-routes the live app; deploy.yaml's domains are refused (DOMAIN_IN_CONFIG). */
		params: z.object({ app: appName, domain: domainName, wait: z.boolean().default(true) }),
		result: z.object({ app: appName, domain: z.string() }),
	},
} as const satisfies Record<string, { params: z.ZodType; result: z.ZodType }>;
