// Issue 17, item 4: the login endpoints of the server's API (agents/api/, item 3). The
// refresh token never reaches this code: it is an HttpOnly cookie scoped to
// /api/v1/auth, sent by the browser with the calls that need it, which also carry
// `X-Deploy-Request: 1` (a header no cross-site form can add). The access token comes
// back in the answer and is kept in memory only (stores/session.ts).
import { ApiError, asEnvelope } from "./errors.js";

export interface Member {
	id: string;
	name: string;
	email: string;
}

export interface SignedIn {
	accessToken: string;
	expiresAt: string;
	member: Member;
}

const AUTH = "/api/v1/auth";
const COOKIE_CALL = { "x-deploy-request": "1" };

export const login = (email: string, password: string) => post<SignedIn>("login", { email, password }, COOKIE_CALL);
export const acceptInvite = (token: string, password: string) => post<SignedIn>("invite", { token, password }, COOKIE_CALL);
export const refresh = () => post<SignedIn>("refresh", {}, COOKIE_CALL);
export const logout = () => post<unknown>("logout", {}, COOKIE_CALL);
export const logoutEverywhere = (accessToken: string) => post<unknown>("logout-all", {}, { authorization: `Bearer ${accessToken}` });

async function post<T>(path: string, body: unknown, headers: Record<string, string>): Promise<T> {
	let response: Response;
	try {
		response = await fetch(`${AUTH}/${path}`, { method: "POST", credentials: "same-origin", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
	} catch (error) {
		throw new ApiError({ code: "UNREACHABLE", message: `Cannot reach the server: ${(error as Error).message}`, hint: "Check your connection and reload the page." });
	}
	const answer = (await response.json().catch(() => null)) as { result?: T; error?: unknown } | null;
	if (answer && "result" in answer) return answer.result as T;
	throw new ApiError(asEnvelope(answer?.error) ?? { code: "BAD_RESPONSE", message: `Unexpected answer from the server (HTTP ${response.status}).` });
}
