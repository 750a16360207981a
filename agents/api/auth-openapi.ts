// Issue 17, item 3: the auth routes in the OpenAPI document, their bodies from the same
// schemas auth-routes.ts validates with. What the dashboard's login page is built against.
import * as z from "zod";
import { inviteBody, loginBody } from "./auth-bodies.js";
import { REFRESH_COOKIE } from "./refresh-cookie.js";

const schemaOf = (schema: z.ZodType) => {
	const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: "input" }) as Record<string, unknown>;
	return rest;
};

const error = (description: string) => ({ description, content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } });
const member = { type: "object", properties: { id: { type: "string" }, name: { type: "string" }, email: { type: ["string", "null"] } }, required: ["id", "name", "email"] };
const grant = {
	description: `Logged in: the access token (24 h, keep it in memory), and the refresh token in the ${REFRESH_COOKIE} cookie (HttpOnly, Secure, SameSite=Strict, 30 days)`,
	headers: { "Set-Cookie": { schema: { type: "string" }, description: `${REFRESH_COOKIE}=<token>; HttpOnly; Secure; SameSite=Strict; Path=/api/v1/auth; Max-Age=2592000` } },
	content: {
		"application/json": {
			schema: { type: "object", properties: { result: { type: "object", properties: { accessToken: { type: "string" }, expiresAt: { type: "string", format: "date-time" }, member }, required: ["accessToken", "expiresAt", "member"] } }, required: ["result"] },
		},
	},
};
const done = { description: "Done; the refresh cookie is cleared", content: { "application/json": { schema: { type: "object", properties: { result: { type: "object" } }, required: ["result"] } } } };
const deployRequest = { name: "X-Deploy-Request", in: "header", required: true, schema: { const: "1" }, description: "Required with the refresh cookie: a cross-site form cannot send it" };
const limited = error("LOGIN_RATE_LIMITED: too many failures for the account or the address; Retry-After says when to try again");

export function authPaths(base: string): Record<string, object> {
	const body = (schema: z.ZodType) => ({ required: true, content: { "application/json": { schema: schemaOf(schema) } } });
	return {
		[`${base}/auth/login`]: {
			post: { operationId: "auth.login", summary: "Log in with email and password", security: [], requestBody: body(loginBody), responses: { "200": grant, "400": error("INVALID_PARAMS"), "401": error("LOGIN_FAILED (the same for an unknown email and a wrong password)"), "429": limited } },
		},
		[`${base}/auth/invite`]: {
			post: { operationId: "auth.invite", summary: "Set the password with a one-time invite token, and log in", security: [], requestBody: body(inviteBody), responses: { "200": grant, "400": error("INVALID_PARAMS (a password under 12 characters)"), "401": error("INVITE_INVALID: unknown, used or expired"), "429": limited } },
		},
		[`${base}/auth/refresh`]: {
			post: {
				operationId: "auth.refresh",
				summary: "A new access token; the refresh token rotates (the old one dies; using it again ends the whole session)",
				security: [{ refreshCookie: [] }],
				parameters: [deployRequest],
				responses: { "200": grant, "401": error("REFRESH_MISSING, TOKEN_EXPIRED, SESSION_ENDED, or REFRESH_REUSED (the session is revoked)"), "403": error("REQUEST_HEADER_MISSING") },
			},
		},
		[`${base}/auth/logout`]: {
			post: { operationId: "auth.logout", summary: "End this session (the refresh cookie's)", security: [{ refreshCookie: [] }], parameters: [deployRequest], responses: { "200": done, "403": error("REQUEST_HEADER_MISSING") } },
		},
		[`${base}/auth/logout-all`]: {
			post: { operationId: "auth.logout-all", summary: "Sign out everywhere: every session ends, every access token is refused", security: [{ accessToken: [] }], responses: { "200": done, "401": error("TOKEN_MISSING, TOKEN_EXPIRED, TOKEN_INVALID, TOKEN_REVOKED") } },
		},
		[`${base}/auth/session`]: {
			get: {
				operationId: "auth.session",
				summary: "Who I am: the member, their teams and roles",
				security: [{ accessToken: [] }],
				responses: {
					"200": { description: "The member and their memberships", content: { "application/json": { schema: { type: "object", properties: { result: { type: "object", properties: { member, memberships: { type: "array", items: { type: "object" } } }, required: ["member", "memberships"] } }, required: ["result"] } } } },
					"401": error("TOKEN_MISSING, TOKEN_EXPIRED, TOKEN_INVALID, TOKEN_REVOKED"),
				},
			},
		},
	};
}

export const authSecuritySchemes = {
	accessToken: { type: "http", scheme: "bearer", bearerFormat: "JWT", description: "A login's access token (POST /api/v1/auth/login), valid 24 hours" },
	refreshCookie: { type: "apiKey", in: "cookie", name: REFRESH_COOKIE, description: "The refresh token, set by login, invite and refresh" },
};
