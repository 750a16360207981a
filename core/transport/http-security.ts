// The rules that keep `deploy ui` the user's own: it listens on 127.0.0.1 only, every
// /api/ request carries the random token, and the Host header must name 127.0.0.1 or
// localhost on our port (a DNS-rebinding page would send its own host name).
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * For the renderer's pages: scripts, styles and connections from this origin only;
 * no inline scripts, no plugins, no framing. Electron sets the same policy.
 * `style-src-elem 'unsafe-inline'`: xterm.js sizes and colours its grid with <style>
 * elements it writes at run time; style attributes stay refused, and CSS cannot load
 * or send anything outside this origin (img, font and connect are 'self').
 */
export const CONTENT_SECURITY_POLICY = [
	"default-src 'self'",
	"script-src 'self'",
	"style-src 'self'",
	"style-src-elem 'self' 'unsafe-inline'",
	"img-src 'self' data:",
	"font-src 'self'",
	"connect-src 'self'",
	"object-src 'none'",
	"base-uri 'none'",
	"form-action 'none'",
	"frame-ancestors 'none'",
].join("; ");

/** Headers every answer carries, page or api. */
export const SECURITY_HEADERS: Record<string, string> = {
	"x-content-type-options": "nosniff",
	"referrer-policy": "no-referrer",
	"x-frame-options": "DENY",
	"cross-origin-opener-policy": "same-origin",
	"cross-origin-resource-policy": "same-origin",
};

/** 32 random bytes, URL-safe: it travels in the URL's fragment and a Bearer header. */
export function createToken(): string {
	return randomBytes(32).toString("base64url");
}

export function allowedHost(host: string | undefined, port: number): boolean {
	return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
}

/** A browser sends Origin on cross-origin requests: only our own page may call the api. */
export function allowedOrigin(origin: string | undefined, port: number): boolean {
	return origin === undefined || origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;
}

export type TokenCheck = "ok" | "missing" | "wrong";

/** Compares in constant time; hashing first makes both sides the same length. */
export function checkToken(authorization: string | undefined, token: string): TokenCheck {
	const match = /^Bearer ([^\s]+)$/i.exec(authorization ?? "");
	if (!match) return "missing";
	const digest = (value: string) => createHash("sha256").update(value).digest();
	return timingSafeEqual(digest(match[1]!), digest(token)) ? "ok" : "wrong";
}
