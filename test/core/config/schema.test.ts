import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { describe, test } from "vitest";
import { fileURLToPath } from "node:url";
import Ajv2020 from "ajv/dist/2020.js";
import { parse } from "yaml";
import { deployJsonSchema, renderConfigReference, renderDeployYaml, renderJsonSchema } from "../../../core/config/index.js";

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

describe("generated config artifacts", () => {
	test("schemas/deploy.schema.json is what the generator writes now", async () => {
		const committed = await readFile(join(repoRoot, "schemas", "deploy.schema.json"), "utf8");
		assert.equal(committed, renderJsonSchema(), "stale: run `npx tsx scripts/gen-schema.ts`");
	});

	test("docs/config.md is what the generator writes now", async () => {
		const committed = await readFile(join(repoRoot, "docs", "config.md"), "utf8");
		assert.equal(committed, renderConfigReference(), "stale: run `npx tsx scripts/gen-schema.ts`");
	});

	test("the reference documents every key", () => {
		const reference = renderConfigReference();
		for (const key of ["app", "server", "install", "build", "processes", "processes/<name>/instances", "processes/<name>/healthcheck/timeoutSeconds", "processes/<name>/healthcheck/intervalMs", "processes/<name>/healthcheck/expectedStatus", "processes/<name>/drainSeconds", "env", "domains", "releases/keep", "framework", "packageManager", "static/dir", "static/spa", "buildTimeoutSeconds"]) {
			assert.ok(reference.includes(`## \`${key}\``), `missing ${key}`);
		}
	});
});

describe("deploy.schema.json", () => {
	// strict: an unknown keyword in the generated schema would be an error here.
	const ajv = new Ajv2020.default({ strict: true, allErrors: true });
	const validate = ajv.compile(deployJsonSchema());

	test("accepts the config of examples/hello and a full one", async () => {
		const hello = JSON.parse(await readFile(join(repoRoot, "examples", "hello", "package.json"), "utf8"));
		const helloYaml = parse(renderDeployYaml({ app: hello.name }));
		assert.ok(validate(helloYaml), JSON.stringify(validate.errors));
		const full = {
			app: "hello",
			server: "my-vps",
			install: "npm ci",
			build: "npm run build",
			processes: { web: { command: "node server.js", instances: 2, healthcheck: { path: "/", timeoutSeconds: 10 } }, worker: {} },
			env: { NODE_ENV: "production" },
			domains: ["hello.example.com"],
		};
		assert.ok(validate(full), JSON.stringify(validate.errors));
		assert.ok(validate({}), "every key is optional in the file");
	});

	test("rejects a typo, a bad value and a bad name", () => {
		assert.equal(validate({ app: "hello", servr: "x" }), false);
		assert.equal(validate({ processes: { web: { instances: 0 } } }), false);
		assert.equal(validate({ app: "Hello World" }), false);
		assert.equal(validate({ env: { "not-a-var": "x" } }), false);
		assert.equal(validate({ domains: ["not a host"] }), false);
	});
});
