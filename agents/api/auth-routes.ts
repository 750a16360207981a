// Issue 17, item 3: `/api/v1/auth/*`, the logins of team members (agents/auth/ decides;
// this reads requests and writes answers). Bodies are bounded and validated by the
// schemas below, once; the refresh token travels only in its cookie (refresh-cookie.ts),
// and the routes that read the cookie also want `X-Deploy-Request: 1`, a header a form
// on another site cannot send. Answers are the API's `{result}` / `{error}` envelopes.
import type { IncomingMessage, ServerResponse } from "node:http";
import type * as z from "zod";
import { DeployError } from "../../core/protocol/errors.js";
import type { Grant, Logins } from "../auth/logins-service.js";
import { RateLimitedError } from "../auth/rate-limit.js";
import { bearerOf, clientAddress } from "./bearer.js";
import { API_BASE } from "./api-base.js";
import { inviteBody, loginBody } from "./auth-bodies.js";
import { clearedRefreshCookie, refreshCookie, refreshTokenOf } from "./refresh-cookie.js";
import { readJsonBody } from "./request-body.js";
import { sendJson } from "./respond.js";

export const AUTH_PATH = "/auth/";
/** An email and a password fit many times over; nothing bigger is read. */
const MAX_AUTH_BODY = 16 * 1024;


export const authRoutes = ["POST login", "POST invite", "POST refresh", "POST logout", "POST logout-all", "GET session"] as const;

export async function handleAuth(logins: Logins, route: string, request: IncomingMessage, response: ServerResponse): Promise<void> {
	try {
		await answer(logins, route, request, response);
	} catch (error) {
		if (error instanceof RateLimitedError) response.setHeader("retry-after", String(error.retryAfterSeconds));
		// A refresh that failed leaves the page nothing to retry with: its cookie goes.
		if (route === "refresh" && error instanceof DeployError && error.code !== "REQUEST_HEADER_MISSING") response.setHeader("set-cookie", clearedRefreshCookie());
		throw error;
	}
}

async function answer(logins: Logins, route: string, request: IncomingMessage, response: ServerResponse): Promise<void> {
	const key = `${request.method} ${route}`;
	if (!(authRoutes as readonly string[]).includes(key)) {
		const known = authRoutes.find((r) => r.endsWith(` ${route}`));
		if (known) throw new DeployError("METHOD_NOT_ALLOWED", `${request.method} is not served at ${API_BASE}/auth/${route}.`, `Use ${known.split(" ")[0]}.`);
		throw new DeployError("NOT_FOUND", `Nothing at ${API_BASE}/auth/${route.slice(0, 60)}.`, `The auth routes are ${authRoutes.map((r) => `${r.split(" ")[0]} ${API_BASE}/auth/${r.split(" ")[1]}`).join(", ")}.`);
	}
	const client = clientAddress(request);
	switch (route) {
		case "login": {
			const body = await bodyOf(request, loginBody);
			return sendGrant(response, await logins.login(body.email, body.password, client));
		}
		case "invite": {
			const body = await bodyOf(request, inviteBody);
			return sendGrant(response, await logins.acceptInvite(body.token, body.password, client));
		}
		case "refresh": {
			requireDeployHeader(request);
			const token = refreshTokenOf(request);
			if (!token) throw new DeployError("REFRESH_MISSING", "The request carries no refresh cookie.", `Log in (POST ${API_BASE}/auth/login); the browser then keeps the cookie.`);
			return sendGrant(response, await logins.refresh(token, client));
		}
		case "logout": {
			requireDeployHeader(request);
			await logins.logout(refreshTokenOf(request), client);
			response.setHeader("set-cookie", clearedRefreshCookie());
			return sendJson(response, 200, { result: { loggedOut: true } });
		}
		case "logout-all": {
			const { member } = await logins.accessOf(accessTokenOf(request));
			await logins.logoutAll(member, client);
			response.setHeader("set-cookie", clearedRefreshCookie());
			return sendJson(response, 200, { result: { loggedOut: true, everywhere: true } });
		}
		default:
			return sendJson(response, 200, { result: await logins.session((await logins.accessOf(accessTokenOf(request))).member) });
	}
}

function sendGrant(response: ServerResponse, grant: Grant): void {
	const { refreshToken, ...result } = grant;
	response.setHeader("set-cookie", refreshCookie(refreshToken));
	sendJson(response, 200, { result });
}

function accessTokenOf(request: IncomingMessage): string {
	const token = bearerOf(request);
	if (!token) throw new DeployError("TOKEN_MISSING", "The request carries no access token.", `Send \`Authorization: Bearer <accessToken>\` with the token a login answered (POST ${API_BASE}/auth/login).`);
	return token;
}

function requireDeployHeader(request: IncomingMessage): void {
	if (request.headers["x-deploy-request"] !== "1") {
		throw new DeployError("REQUEST_HEADER_MISSING", "This request needs the header `X-Deploy-Request: 1`.", "Send it with every request that carries the refresh cookie (refresh, logout): a form on another site cannot, which keeps those requests yours.");
	}
}

async function bodyOf<S extends z.ZodType>(request: IncomingMessage, schema: S): Promise<z.output<S>> {
	const parsed = schema.safeParse(await readJsonBody(request, MAX_AUTH_BODY));
	if (parsed.success) return parsed.data;
	const issues = parsed.error.issues.map((issue) => `${issue.path.join(".") || "body"}: ${issue.message}`);
	throw new DeployError("INVALID_PARAMS", issues[0]!, `The body is described in ${API_BASE}/openapi.json.`, issues);
}
