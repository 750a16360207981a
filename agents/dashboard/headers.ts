// Issue 17, item 4: the headers of the dashboard's pages. The policy is `deploy ui`'s
// (core/transport/http-security.ts) without its one allowance: no terminal is served
// here, so no <style> element written at run time either. Scripts, styles, images and
// connections from this origin only; no framing, no plugins, no form posts elsewhere.
// No CORS header at all: another origin's page reads nothing.
export const DASHBOARD_CSP = [
	"default-src 'none'",
	"script-src 'self'",
	"style-src 'self'",
	"img-src 'self' data:",
	"font-src 'self'",
	"connect-src 'self'",
	"manifest-src 'self'",
	"object-src 'none'",
	"base-uri 'none'",
	"form-action 'none'",
	"frame-ancestors 'none'",
].join("; ");

export const DASHBOARD_HEADERS: Readonly<Record<string, string>> = {
	"content-security-policy": DASHBOARD_CSP,
	"x-content-type-options": "nosniff",
	"referrer-policy": "no-referrer",
	"x-frame-options": "DENY",
	"cross-origin-opener-policy": "same-origin",
	"cross-origin-resource-policy": "same-origin",
};

/** Tells the renderer it is served by a server (renderer/src/api/select.ts): its bridge is then /api/v1 with a login. */
export const SERVER_MODE_META = '<meta name="deploy-mode" content="server">';
