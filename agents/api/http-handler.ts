// Issue 17: one request of the HTTPS API. The key says who calls (bearer.ts); the path
// names the method (`POST /api/v1/<method>`, or a GET route of read-routes.ts); the call
// then runs exactly as an SSH call does, through the function the daemon hands in
// (agents/daemon/dispatch.ts: the params validated once by the method's schema, the
// same guard, the same handler). Errors are the CLI's codes in `{error}` with a status.
import type { IncomingMessage, ServerResponse } from "node:http";
import { DeployError, type ErrorInfo, toErrorInfo } from "../../core/protocol/errors.js";
import type { DeployEvent } from "../../core/protocol/events.js";
import type { MethodName } from "../../core/protocol/methods.js";
import type { Caller } from "../access/caller.js";
import { trackMemberConnection } from "../access/sessions.js";
import { Logins } from "../auth/logins-service.js";
import { trackSessionRequest } from "../auth/session-requests.js";
import type { ScryptCost } from "../auth/passwords.js";
import { serveDashboard } from "../dashboard/serve.js";
import { AUTH_PATH, handleAuth } from "./auth-routes.js";
import { callerOfRequest } from "./bearer.js";
import { httpExposure } from "./exposure.js";
import { trackKeyRequest } from "./key-requests.js";
import { API_BASE, openApiDocument, paramsSchemaOf } from "./openapi.js";
import { matchReadRoute, type ReadRoute } from "./read-routes.js";
import { readChunkBody, readJsonBody } from "./request-body.js";
import { ndjson, sendError, sendJson } from "./respond.js";
import { HOOKS_PATH, handleWebhook } from "./webhook-route.js";

const ENDED_BY_REVOCATION = new Set(["API_KEY_REVOKED", "TOKEN_REVOKED"]);

export type CallOutcome = { result: unknown } | { error: ErrorInfo };

export interface ApiRequestDeps {
	homeRoot: string;
	/** Runs one call as the daemon's RPC does; handed in by the daemon (a room never imports it). */
	call(caller: Caller, method: MethodName, params: unknown, emit: (event: DeployEvent) => void, signal: AbortSignal, binaryPart?: Buffer[] | null): Promise<CallOutcome>;
	/** The public URL, for the OpenAPI document's `servers`. */
	url(): string | undefined;
	log(line: string): void;
	/** Issue 17, item 3: the clock of logins and their tokens (tests move it); Date.now when absent. */
	now?: () => number;
	/** The logins' scrypt cost for new passwords (tests make it cheap). */
	passwordCost?: ScryptCost;
}

export function apiRequestHandler(deps: ApiRequestDeps): (request: IncomingMessage, response: ServerResponse) => void {
	const logins = new Logins({ homeRoot: deps.homeRoot, ...(deps.now ? { now: deps.now } : {}), ...(deps.passwordCost ? { cost: deps.passwordCost } : {}) });
	return (request, response) => {
		handle(deps, logins, request, response).catch((error) => {
			if (!(error instanceof DeployError)) deps.log(`api: ${request.method} ${request.url?.split("?")[0]} failed: ${(error as Error)?.stack ?? String(error)}`);
			sendError(response, toErrorInfo(error));
		});
	};
}

async function handle(deps: ApiRequestDeps, logins: Logins, request: IncomingMessage, response: ServerResponse): Promise<void> {
	const url = new URL(request.url ?? "/", "http://api.invalid");
	const path = url.pathname;
	// Issue 17, item 4: every path outside /api/ is the dashboard's (agents/dashboard/serve.ts).
	if (path !== "/api" && !path.startsWith("/api/")) return serveDashboard(deps.homeRoot, request, response);
	if (!path.startsWith(`${API_BASE}/`)) throw new DeployError("NOT_FOUND", `Nothing at ${path}.`, `The API is under ${API_BASE}/; its routes are listed in ${API_BASE}/openapi.json.`);
	const below = path.slice(API_BASE.length);
	if (below === "/openapi.json" && request.method === "GET") return sendJson(response, 200, openApiDocument(deps.url()));
	if (request.method !== "GET" && request.method !== "POST") throw new DeployError("METHOD_NOT_ALLOWED", `${request.method} is not served.`, "Read with GET, call a method with POST.");
	// Issue 18: a forge's delivery carries no API key: its body's signature says who sent it (webhook-route.ts).
	if (below.startsWith(HOOKS_PATH)) return handleWebhook(deps, below.slice(HOOKS_PATH.length), request, response);
	// Issue 17, item 3: logins, their tokens and cookie (auth-routes.ts).
	if (below.startsWith(AUTH_PATH)) return handleAuth(logins, below.slice(AUTH_PATH.length), request, response);
	// Who, before anything else is read: a request without a working key or token learns nothing more.
	const caller = await callerOfRequest(deps.homeRoot, request, logins);
	if (request.method === "GET") {
		const matched = matchReadRoute(below);
		if (!matched) throw new DeployError("NOT_FOUND", `Nothing to read at ${path}.`, `The GET routes are listed in ${API_BASE}/openapi.json; every method is POST ${API_BASE}/<method>.`);
		const params = { ...queryParams(matched.route.method, url.searchParams), ...matched.params };
		return run(deps, caller, matched.route.method, params, response, matched.route);
	}
	const method = below.slice(1);
	if (!Object.hasOwn(httpExposure, method)) throw new DeployError("UNKNOWN_METHOD", `There is no method "${method}".`, `The methods are listed in ${API_BASE}/openapi.json.`);
	const exposure = httpExposure[method as MethodName];
	if (exposure.as === "ssh") throw new DeployError("NOT_OVER_HTTP", `${method} is not served over HTTPS: ${exposure.why}.`, "Run it with the CLI over SSH (`deploy …`).");
	// Issue 17, item 5: a large file's chunk: params in the query (validated by the method's schema, as any), the bytes as the body.
	if (exposure.as === "chunk") return run(deps, caller, method as MethodName, queryParams(method as MethodName, url.searchParams), response, undefined, await readChunkBody(request));
	return run(deps, caller, method as MethodName, await readJsonBody(request), response);
}

async function run(deps: ApiRequestDeps, caller: Caller, method: MethodName, params: unknown, response: ServerResponse, route?: ReadRoute, binaryPart: Buffer[] | null = null): Promise<void> {
	if (httpExposure[method].as === "ssh") throw new DeployError("NOT_OVER_HTTP", `${method} is not served over HTTPS.`, "Run it with the CLI over SSH.");
	// A client that goes away cancels its call, as a closed SSH channel does.
	const controller = new AbortController();
	response.on("close", () => {
		if (!response.writableFinished) controller.abort(new DeployError("CANCELLED", "The client disconnected.", "Run the request again."));
	});
	// A revoked key's open requests end at once (keys.revoke ends them).
	if (caller.key) {
		const name = caller.key.name;
		const untrack = trackKeyRequest(name, () => controller.abort(new DeployError("API_KEY_REVOKED", `The API key ${name} was revoked.`, "Ask an owner of the team for a new key.")));
		response.on("close", untrack);
	}
	// Issue 17, item 3: a member's open requests (a followed log) end when `team rm` removes them, as their SSH connections do,
	// and a login's when its session is logged out.
	if (caller.member !== null) {
		const revoked = () => controller.abort(new DeployError("TOKEN_REVOKED", "This request's session was logged out, or its member removed from the server.", "Log in again."));
		response.on("close", trackMemberConnection(caller.member, revoked));
		if (caller.session) response.on("close", trackSessionRequest(caller.member, caller.session, revoked));
	}
	const streams = httpExposure[method].as === "stream";
	const out = ndjson(response);
	const answered = await deps.call(caller, method, params, (event) => streams && out.line({ event }), controller.signal, binaryPart);
	// A call its key's revocation (or its member's removal) ended says so last, whatever the method made of the abort.
	const outcome: CallOutcome = controller.signal.reason instanceof DeployError && ENDED_BY_REVOCATION.has(controller.signal.reason.code) ? { error: controller.signal.reason.toInfo() } : answered;
	if ("error" in outcome) {
		const error = outcome.error.code === "INVALID_PARAMS" && !outcome.error.hint ? { ...outcome.error, hint: `The params of ${method} are described in ${API_BASE}/openapi.json.` } : outcome.error;
		return out.started() ? void response.end(`${JSON.stringify({ error })}\n`) : sendError(response, error);
	}
	const result = route?.view ? route.view.shape(outcome.result) : outcome.result;
	if (out.started()) return void response.end(`${JSON.stringify({ result })}\n`);
	if (streams) {
		out.line({ result });
		return void response.end();
	}
	sendJson(response, 200, { result });
}

/** A GET route's query, read as its method's params say (numbers and booleans from their text); the schema still validates them. */
function queryParams(method: MethodName, query: URLSearchParams): Record<string, unknown> {
	const properties = (paramsSchemaOf(method).properties ?? {}) as Record<string, { type?: unknown }>;
	const params: Record<string, unknown> = {};
	for (const [name, text] of query) {
		const type = properties[name]?.type;
		if (type === "integer" || type === "number") params[name] = text.trim() === "" ? text : Number(text);
		else if (type === "boolean") params[name] = text === "true" ? true : text === "false" ? false : text;
		else params[name] = text;
	}
	return params;
}
