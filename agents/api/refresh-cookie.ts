// Issue 17, item 3: the refresh token's cookie. HttpOnly (no script reads it), Secure
// (HTTPS only), SameSite=Strict (no other site's page sends it), and scoped to the auth
// routes, the only ones that read it: every other request carries the access token in
// its header instead.
import type { IncomingMessage } from "node:http";
import { REFRESH_LIFETIME_MS } from "../auth/sessions.js";
import { API_BASE } from "./api-base.js";

export const REFRESH_COOKIE = "deploy_refresh";
const ATTRIBUTES = `HttpOnly; Secure; SameSite=Strict; Path=${API_BASE}/auth`;

export const refreshCookie = (token: string) => `${REFRESH_COOKIE}=${token}; ${ATTRIBUTES}; Max-Age=${REFRESH_LIFETIME_MS / 1000}`;
export const clearedRefreshCookie = () => `${REFRESH_COOKIE}=; ${ATTRIBUTES}; Max-Age=0`;

/** The refresh token the request's Cookie header carries; null when none (or not of a token's shape). */
export function refreshTokenOf(request: IncomingMessage): string | null {
	for (const pair of (request.headers.cookie ?? "").split(";")) {
		const [name, ...value] = pair.trim().split("=");
		const token = value.join("=");
		if (name === REFRESH_COOKIE && /^[A-Za-z0-9_-]{20,200}$/.test(token)) return token;
	}
	return null;
}
