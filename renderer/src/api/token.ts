// `deploy ui` never puts its access token in a URL: the URL carries a one-time launch
// code in its fragment (never sent to the server or written to its logs), which this
// page trades for the token once. The token is kept for this tab only, and the code is
// cleared from the address bar: it is spent, and should not be bookmarked or shared.
import type { ErrorEnvelope } from "./errors.js";

const KEY = "deploy-ui-token";

export type TokenOutcome = { token: string } | { error: ErrorEnvelope } | null;

export async function takeToken(): Promise<TokenOutcome> {
	const kept = window.sessionStorage.getItem(KEY);
	const match = /(?:^#|&)launch=([^&]+)/.exec(window.location.hash);
	if (!match?.[1]) return kept ? { token: kept } : null;
	window.history.replaceState(null, "", window.location.pathname + window.location.search);
	const outcome = await redeem(decodeURIComponent(match[1]));
	if ("token" in outcome) window.sessionStorage.setItem(KEY, outcome.token);
	// A used link opened again in a tab that already has its session: keep the session.
	else if (kept) return { token: kept };
	return outcome;
}

async function redeem(code: string): Promise<{ token: string } | { error: ErrorEnvelope }> {
	try {
		const response = await fetch("/api/launch", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ code }) });
		const body = (await response.json().catch(() => null)) as { result?: { token?: unknown }; error?: ErrorEnvelope } | null;
		if (typeof body?.result?.token === "string") return { token: body.result.token };
		return { error: body?.error ?? { code: "BAD_RESPONSE", message: `Unexpected answer from \`deploy ui\` (HTTP ${response.status}).` } };
	} catch (error) {
		return { error: { code: "UNREACHABLE", message: `Cannot reach \`deploy ui\`: ${(error as Error).message}`, hint: "Is `deploy ui` still running?" } };
	}
}
