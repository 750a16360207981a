// Issue 17: the OpenAPI 3.1 document of the HTTPS API, generated from the same schemas
// the agent validates with (core/protocol/methods.ts, through zod's toJSONSchema) and the
// same route tables the listener serves (exposure.ts, read-routes.ts): nothing written
// per method. Served at GET /api/v1/openapi.json.
import * as z from "zod";
import { type MethodName, methods } from "../../core/protocol/methods.js";
import { CHUNK_BYTES } from "../../core/protocol/upload.js";
import { authPaths, authSecuritySchemes } from "./auth-openapi.js";
import { exposedMethods, httpExposure } from "./exposure.js";
import { type ReadRoute, readRoutes } from "./read-routes.js";

import { API_BASE } from "./api-base.js";

export { API_BASE };

type JsonSchema = Record<string, unknown>;

/** A schema as it sits inside the document: JSON Schema 2020-12, without its own `$schema`. */
function jsonSchemaOf(schema: z.ZodType, io: "input" | "output"): JsonSchema {
	const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: "any" }) as JsonSchema;
	return rest;
}

const cache = new Map<string, JsonSchema>();
/** A method's params as JSON Schema (also what a GET route's query is read by). */
export function paramsSchemaOf(method: MethodName): JsonSchema {
	const key = `params:${method}`;
	if (!cache.has(key)) cache.set(key, jsonSchemaOf(methods[method].params, "input"));
	return cache.get(key)!;
}

const errorResponse = (description: string) => ({ description, content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } });
const errors = {
	"400": errorResponse("Bad input: the body or query does not match the method's params (INVALID_PARAMS, BAD_JSON)"),
	"401": errorResponse("No API key, or one unknown, expired or revoked"),
	"403": errorResponse("The key's scope does not allow it (PERMISSION_DENIED), or the method is SSH-only (NOT_OVER_HTTP)"),
	"404": errorResponse("An unknown method, app, deployment or key"),
	"413": errorResponse("The body is over the limit"),
	"500": errorResponse("The operation failed; the code says why"),
};

function answer(method: MethodName, schema: JsonSchema) {
	const envelope = { type: "object", properties: { result: schema }, required: ["result"] };
	if (httpExposure[method].as === "stream") {
		const line = { oneOf: [{ type: "object", properties: { event: { type: "object" } }, required: ["event"] }, envelope, { $ref: "#/components/schemas/Error" }] };
		return { description: "NDJSON: event lines, then the result (or an error) as the last line", content: { "application/x-ndjson": { schema: line } } };
	}
	return { description: "The result", content: { "application/json": { schema: envelope } } };
}

function postOperation(method: MethodName) {
	if (httpExposure[method].as === "chunk") return chunkOperation(method);
	return {
		post: {
			operationId: method,
			summary: `The agent's ${method}`,
			requestBody: { required: false, content: { "application/json": { schema: paramsSchemaOf(method) } } },
			responses: { "200": answer(method, jsonSchemaOf(methods[method].result, "output")), ...errors },
		},
	};
}

/** Issue 17, item 5: a large file's chunk (objects.write): the params in the query, the chunk's bytes as the body. */
function chunkOperation(method: MethodName) {
	const params = paramsSchemaOf(method);
	const properties = (params.properties ?? {}) as Record<string, JsonSchema>;
	const required = new Set((params.required ?? []) as string[]);
	const parameters = Object.entries(properties).map(([name, schema]) => ({ name, in: "query", required: required.has(name), schema }));
	const body = { type: "string", contentMediaType: "application/octet-stream", maxLength: CHUNK_BYTES };
	return {
		post: {
			operationId: method,
			summary: `The agent's ${method}: one chunk (at most ${CHUNK_BYTES / 1024} KiB, raw or raw deflate when \`deflated\`) of a large file, in order of offset; an unfinished file no chunk came for in DEPLOY_AGENT_UPLOAD_IDLE_SECONDS (10 min) is dropped`,
			parameters,
			requestBody: { required: true, content: { "application/octet-stream": { schema: body } } },
			responses: { "200": answer(method, jsonSchemaOf(methods[method].result, "output")), ...errors },
		},
	};
}

function getOperation(route: ReadRoute) {
	const params = paramsSchemaOf(route.method);
	const properties = (params.properties ?? {}) as Record<string, JsonSchema>;
	const inPath = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
	const parameters = [
		...inPath.map((name) => ({ name, in: "path", required: true, schema: properties[name] ?? { type: "string" } })),
		...Object.entries(properties)
			.filter(([name, schema]) => !inPath.includes(name) && ["string", "integer", "number", "boolean"].includes(String(schema.type)))
			.map(([name, schema]) => ({ name, in: "query", required: false, schema })),
	];
	const result = route.view ? jsonSchemaOf(route.view.schema, "output") : jsonSchemaOf(methods[route.method].result, "output");
	return { get: { operationId: `get ${route.path}`, summary: route.summary, parameters, responses: { "200": answer(route.method, result), ...errors } } };
}

/** The whole document; `serverUrl` is where the API is reached (its domain), when known. */
export function openApiDocument(serverUrl?: string): object {
	const paths: Record<string, object> = {
		[`${API_BASE}/openapi.json`]: { get: { operationId: "openapi", summary: "This document", security: [], responses: { "200": { description: "The OpenAPI 3.1 document", content: { "application/json": { schema: { type: "object" } } } } } } },
	};
	// A path may have both: GET /api/v1/status reads what POST /api/v1/status calls.
	const add = (path: string, operation: object) => {
		paths[path] = { ...paths[path], ...operation };
	};
	for (const route of readRoutes) add(`${API_BASE}${route.path}`, getOperation(route));
	for (const method of exposedMethods) add(`${API_BASE}/${method}`, postOperation(method));
	for (const [path, operation] of Object.entries(authPaths(API_BASE))) add(path, operation);
	return {
		openapi: "3.1.0",
		info: { title: "Deploy Platform server API", version: "1", description: "The agent's methods over HTTPS, with an API key (`deploy keys create`) or a member's access token (`/api/v1/auth/login`). Every method is POST /api/v1/<method> with its params as a JSON body." },
		...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
		security: [{ apiKey: [] }, { accessToken: [] }],
		paths,
		components: {
			securitySchemes: { apiKey: { type: "http", scheme: "bearer", description: "An API key, `dp_…`, from `deploy keys create`" }, ...authSecuritySchemes },
			schemas: {
				Error: {
					type: "object",
					properties: { error: { type: "object", properties: { code: { type: "string" }, message: { type: "string" }, hint: { type: "string" }, details: { type: "array", items: { type: "string" } } }, required: ["code", "message"] } },
					required: ["error"],
				},
			},
		},
	};
}
