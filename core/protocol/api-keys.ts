// Issue 17: API keys and the server's HTTPS API. The wire types of the `keys.*` and
// `api.*` methods; the agent keeps the keys (hashed) and the API's setting in its home.
import * as z from "zod";
import { certificateState, domainName, MAX_CERTIFICATE_WAIT_MS } from "./domains.js";
import { appName } from "./names.js";
import { teamName } from "./team.js";

/**
 * What a key may do, weakest first. Each maps onto a role of the teams issue
 * (agents/access/key-scopes.ts holds the table): read = a member who changes nothing,
 * deploy = a member who may deploy production, write = admin, admin = owner of the team.
 */
export const keyScopes = ["read", "deploy", "write", "admin"] as const;
export const keyScope = z.enum(keyScopes);
export type KeyScope = z.infer<typeof keyScope>;

/** A key's name: unique on the server, what the audit log names its requests by. */
export const keyName = teamName;

/** Every key starts with this, so a leaked one is recognisable (secret scanners match on it). */
export const API_KEY_PREFIX = "dp_";

export const apiKeyInfo = z.object({
	name: keyName,
	team: teamName,
	scope: keyScope,
	/** The team's apps the key may touch; null: every app of the team. */
	apps: z.array(appName).nullable(),
	createdAt: z.string(),
	/** null: never expires. */
	expiresAt: z.string().nullable(),
	/** The last request the key was used for (noted at most once a minute); null before its first. */
	lastUsedAt: z.string().nullable(),
	/** Set when the key was revoked: refused from the next request on. */
	revokedAt: z.string().nullable(),
});
export type ApiKeyInfo = z.infer<typeof apiKeyInfo>;

/** The longest expiry a key may be given: 10 years (a key without `--expires` never expires). */
export const MAX_KEY_SECONDS = 10 * 365 * 86_400;

/** The server's HTTPS API as `api.enable` / `api.disable` / `api.status` answer it. */
export const apiStatus = z.object({
	enabled: z.boolean(),
	domain: z.string().nullable(),
	/** Where a client reaches it: https:// once the domain gets a certificate, else http://. */
	url: z.string().nullable(),
	/** The loopback port the agent's listener is on (the proxy routes the domain to it); null when off. */
	port: z.number().int().nullable(),
	/** Issue 17, item 4: the dashboard's address (`url` + "/") once its build is on the server; null before. */
	dashboard: z.string().nullable().optional(),
	/** `api.enable`: the domain's certificate once the wait for it ended (`none` where the server has no TLS). */
	certificate: certificateState.optional(),
});
export type ApiStatus = z.infer<typeof apiStatus>;

export const apiKeyMethods = {
	"keys.create": {
		/** A new key for one team, printed once: only its hash is kept. */
		params: z.object({
			name: keyName,
			team: teamName,
			scope: keyScope,
			apps: z.array(appName).min(1).max(1000).nullable().default(null),
			expiresInSeconds: z.number().int().min(1).max(MAX_KEY_SECONDS).optional(),
		}),
		result: apiKeyInfo.extend({ key: z.string() }),
	},
	"keys.ls": {
		/** The keys of the teams the caller owns (every key for the server's owner); never the key itself. */
		params: z.object({}),
		result: z.array(apiKeyInfo),
	},
	"keys.revoke": {
		params: z.object({ name: keyName, team: teamName }),
		result: apiKeyInfo,
	},
	"api.enable": {
		/** Serves the API at https://<domain> through the server's proxy (certificate from its ACME CA). */
		params: z.object({ domain: domainName, certificateWaitMs: z.number().int().min(0).max(MAX_CERTIFICATE_WAIT_MS).default(120_000) }),
		result: apiStatus,
	},
	"api.disable": {
		params: z.object({}),
		result: apiStatus,
	},
	"api.status": {
		params: z.object({}),
		result: apiStatus,
	},
} as const satisfies Record<string, { params: z.ZodType; result: z.ZodType }>;
