// Issue 17: who a request of the HTTPS API is, from its `Authorization: Bearer` header:
// an API key (`dp_…`, key-store.ts) stands for one membership made from its scope; an
// access token of a login (a JWT, issue 17 item 3: agents/auth/) is its member, whose
// roles then apply exactly as over SSH. Either way the guard takes the same Caller.
import type { IncomingMessage } from "node:http";
import { API_KEY_PREFIX } from "../../core/protocol/api-keys.js";
import { DeployError } from "../../core/protocol/errors.js";
import type { Caller } from "../access/caller.js";
import { keyMembership } from "../access/key-scopes.js";
import { authenticateKey } from "./key-store.js";

/** What checks a login's access token (agents/auth/logins-service.ts); absent, only keys are taken. */
export interface AccessTokenCheck {
	accessOf(token: string): Promise<{ member: string; session: string }>;
}

/** A JWT's shape: three base64url parts. */
const JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

export async function callerOfRequest(homeRoot: string, request: IncomingMessage, tokens?: AccessTokenCheck, now = Date.now()): Promise<Caller> {
	const bearer = bearerOf(request);
	if (!bearer) throw new DeployError("API_KEY_MISSING", "The request carries no API key or access token.", "Send `Authorization: Bearer dp_…` with a key from `deploy keys create`, or the access token of a login (POST /api/v1/auth/login).");
	if (tokens && !bearer.startsWith(API_KEY_PREFIX) && JWT.test(bearer)) return { ...(await tokens.accessOf(bearer)), client: clientAddress(request) };
	const key = await authenticateKey(homeRoot, bearer, now);
	return { member: null, client: clientAddress(request), key: { name: key.name, scope: key.scope, membership: keyMembership(key) } };
}

export function bearerOf(request: IncomingMessage): string | null {
	return request.headers.authorization?.match(/^Bearer\s+(\S+)\s*$/i)?.[1] ?? null;
}

/**
 * The proxy in front says who connected; for the audit log and the login rate limits. The
 * LAST address of X-Forwarded-For is the one our proxy appended: the ones before it are
 * whatever the client sent, and a client could otherwise write any address into the
 * audit log (or dodge a rate limit).
 */
export function clientAddress(request: IncomingMessage): string | null {
	const forwarded = request.headers["x-forwarded-for"];
	const last = (Array.isArray(forwarded) ? forwarded.at(-1) : forwarded)?.split(",").at(-1)?.trim();
	return (last || request.socket.remoteAddress || null)?.slice(0, 100) ?? null;
}
