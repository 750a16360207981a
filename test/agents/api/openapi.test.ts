// Issue 17: the OpenAPI 3.1 document is generated from the agent's method schemas and the
// listener's route tables: it validates (a maintained validator), lists every method
// served over HTTPS and every GET route, and none that stays SSH-only; a large file's
// chunk (objects.write) as a binary body.
import assert from "node:assert/strict";
import { Validator } from "@seriousme/openapi-schema-validator";
import { describe, test } from "vitest";
import { type MethodName, methods } from "../../../core/protocol/methods.js";
import { authRoutes } from "../../../agents/api/auth-routes.js";
import { exposedMethods, httpExposure } from "../../../agents/api/exposure.js";
import { openApiDocument } from "../../../agents/api/openapi.js";
import { matchReadRoute, readRoutes } from "../../../agents/api/read-routes.js";

describe("the OpenAPI document", () => {
	const doc = openApiDocument("https://deploy.example.com") as { openapi: string; paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { properties?: object } }> } }>> };

	test("is a valid OpenAPI 3.1 document", async () => {
		assert.equal(doc.openapi, "3.1.0");
		const result = await new Validator().validate(doc as Parameters<Validator["validate"]>[0]);
		assert.deepEqual(result, { valid: true });
	});

	test("lists every method of the protocol served over HTTPS as POST /api/v1/<method>, with its params' schema, and no SSH-only one", () => {
		const all = Object.keys(methods) as MethodName[];
		assert.deepEqual(Object.keys(httpExposure).sort(), [...all].sort(), "the exposure table covers the protocol");
		for (const method of all) {
			const path = doc.paths[`/api/v1/${method}`];
			if (httpExposure[method].as === "ssh") assert.equal(path, undefined, `${method} is SSH-only`);
			else assert.ok(path?.post, `${method} is listed`);
		}
		assert.ok(exposedMethods.length > 30);
		const envChange = doc.paths["/api/v1/env.change"]!.post!.requestBody!.content["application/json"]!.schema;
		assert.ok(Object.hasOwn(envChange.properties ?? {}, "set"), "the body schema is the method's params");
		for (const sshOnly of ["setup", "shutdown", "api.enable"]) assert.equal(httpExposure[sshOnly as MethodName].as, "ssh");
	});

	test("lists objects.write (issue 17, item 5) as a chunk: its params in the query, the bytes as an octet-stream body of at most one chunk", () => {
		const operation = doc.paths["/api/v1/objects.write"]!.post! as unknown as { parameters: { name: string; in: string; required: boolean }[]; requestBody: { content: Record<string, { schema: { maxLength: number } }> } };
		assert.deepEqual(
			operation.parameters.map((p) => [p.name, p.in, p.required]),
			[
				["id", "query", true],
				["size", "query", true],
				["offset", "query", true],
				["deflated", "query", false],
			],
		);
		assert.deepEqual(Object.keys(operation.requestBody.content), ["application/octet-stream"]);
		assert.equal(operation.requestBody.content["application/octet-stream"]!.schema.maxLength, 1024 * 1024);
	});

	test("lists every GET route; each reads through a method served over HTTPS; paths match with their {app}", () => {
		for (const route of readRoutes) {
			assert.ok(doc.paths[`/api/v1${route.path}`]?.get, route.path);
			assert.notEqual(httpExposure[route.method].as, "ssh", `${route.path} reads through ${route.method}`);
		}
		assert.deepEqual(matchReadRoute("/apps/shop/deployments")?.params, { app: "shop" });
		assert.equal(matchReadRoute("/apps/shop/deployments")?.route.method, "deployments.list");
		assert.equal(matchReadRoute("/apps")?.route.method, "ps");
		assert.equal(matchReadRoute("/apps/shop/nothing"), null);
		assert.throws(() => matchReadRoute("/apps/%E0%A4%A/env"), /not valid URL encoding/);
	});

	test("lists every auth route (issue 17, item 3) with its body schema and how it authenticates", () => {
		const paths = doc.paths as unknown as Record<string, Record<string, { security?: object[]; requestBody?: { content: Record<string, { schema: { properties?: object } }> } }>>;
		for (const route of authRoutes) {
			const [method, name] = route.split(" ") as [string, string];
			assert.ok(paths[`/api/v1/auth/${name}`]?.[method.toLowerCase()], route);
		}
		assert.deepEqual(paths["/api/v1/auth/login"]!.post!.security, [], "no key or token to log in");
		assert.deepEqual(Object.keys(paths["/api/v1/auth/login"]!.post!.requestBody!.content["application/json"]!.schema.properties ?? {}), ["email", "password"]);
		assert.deepEqual(paths["/api/v1/auth/refresh"]!.post!.security, [{ refreshCookie: [] }]);
		assert.deepEqual(paths["/api/v1/auth/session"]!.get!.security, [{ accessToken: [] }]);
	});
});
