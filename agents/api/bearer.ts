// Issue 17: who a request of the HTTPS API is: the API key of its `Authorization: Bearer`
// header, turned into the caller identity the guard takes (agents/access/caller.ts).
// A later login (issue 17, item 3) adds another way to the same kind of value.
import type { IncomingMessage } from "node:http";
import { DeployError } from "../../core/protocol/errors.js";
import type { Caller } from "../access/caller.js";
import { keyMembership } from "../access/key-scopes.js";
import { authenticateKey } from "./key-store.js";

export async function callerOfRequest(homeRoot: string, request: IncomingMessage, now = Date.now()): Promise<Caller> {
	const header = request.headers.authorization;
	const bearer = header?.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
	if (!bearer) throw new DeployError("API_KEY_MISSING", "The request carries no API key.", "Send `Authorization: Bearer dp_…` with a key from `deploy keys create`.");
	const key = await authenticateKey(homeRoot, bearer, now);
	return { member: null, client: clientAddress(request), key: { name: key.name, scope: key.scope, membership: keyMembership(key) } };
}

/**
 * The proxy in front says who connected; only for the audit log. The LAST address of
 * X-Forwarded-For is the one our proxy appended: the ones before it are whatever the
 * client sent, and a client could otherwise write any address into the audit log.
 */
function clientAddress(request: IncomingMessage): string | null {
	const forwarded = request.headers["x-forwarded-for"];
	const last = (Array.isArray(forwarded) ? forwarded.at(-1) : forwarded)?.split(",").at(-1)?.trim();
	return (last || request.socket.remoteAddress || null)?.slice(0, 100) ?? null;
}
