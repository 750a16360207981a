import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { type AppSpec, DeployError } from "../../core/protocol/index.js";
import { candidateFiles, type PackageJson, planBuild, planProcesses } from "../../agents/deploy/detect.js";

const spec = (overrides: Partial<AppSpec> = {}): AppSpec => ({ name: "web", processes: {}, env: {}, domains: [], keepReleases: 5, ...overrides });
const facts = (pkg: PackageJson | null, files: string[] = []) => ({ pkg, files });
const web = { name: "web", web: true, instances: 1, healthcheck: { timeoutSeconds: 30, intervalMs: 250 }, drainSeconds: 30 };

describe("planBuild", () => {
	test("the lockfile picks the install command", () => {
		const pkg = { dependencies: { express: "^5" } };
		assert.deepEqual(planBuild(spec(), facts(pkg, ["package-lock.json"])).install, { command: "npm ci" });
		assert.deepEqual(planBuild(spec(), facts(pkg, ["npm-shrinkwrap.json"])).install, { command: "npm ci" });
		assert.deepEqual(planBuild(spec(), facts(pkg, ["pnpm-lock.yaml"])), {
			packageManager: "pnpm",
			install: { command: "pnpm install --frozen-lockfile" },
			build: { skip: "no build script" },
		});
		assert.deepEqual(planBuild(spec(), facts(pkg, ["yarn.lock"])).install, { command: "yarn install --frozen-lockfile" });
	});

	test("dependencies without a lockfile get npm install; nothing to install is skipped", () => {
		assert.deepEqual(planBuild(spec(), facts({ devDependencies: { typescript: "^6" } })).install, { command: "npm install" });
		assert.deepEqual(planBuild(spec(), facts({ scripts: { start: "node ." } })).install, { skip: "no dependencies" });
		assert.deepEqual(planBuild(spec(), facts(null)).install, { skip: "no package.json" });
	});

	test("the build script runs with the project's package manager", () => {
		assert.deepEqual(planBuild(spec(), facts({ scripts: { build: "tsc" } }, ["yarn.lock"])).build, { command: "yarn run build" });
		assert.deepEqual(planBuild(spec(), facts({ scripts: { build: "tsc" } })).build, { command: "npm run build" });
		assert.deepEqual(planBuild(spec(), facts({ scripts: { build: "tsc" }, packageManager: "pnpm@9.1.0" })).build, { command: "pnpm run build" });
	});

	test("the spec's commands win over detection", () => {
		assert.deepEqual(planBuild(spec({ install: "make deps", build: "make" }), facts({ scripts: { build: "tsc" } }, ["package-lock.json"])), {
			packageManager: "npm",
			install: { command: "make deps" },
			build: { command: "make" },
		});
	});
});

describe("planProcesses", () => {
	test("the start script's own command line, not npm start", () => {
		assert.deepEqual(planProcesses(spec(), facts({ scripts: { start: "next start" } })), [{ ...web, command: "next start" }]);
	});

	test("without a start script: main, then server.js, then index.js, whichever exists", () => {
		assert.deepEqual(planProcesses(spec(), facts({ main: "./dist/app.js" }, ["dist/app.js", "server.js"])), [{ ...web, command: "node dist/app.js" }]);
		assert.deepEqual(planProcesses(spec(), facts({ main: "dist/app.js" }, ["server.js", "index.js"])), [{ ...web, command: "node server.js" }]);
		assert.deepEqual(planProcesses(spec(), facts(null, ["index.js"])), [{ ...web, command: "node index.js" }]);
	});

	test("no way to start is NO_START_COMMAND with a hint", () => {
		assert.throws(
			() => planProcesses(spec(), facts({}, [])),
			(error: unknown) => error instanceof DeployError && error.code === "NO_START_COMMAND" && /processes\.web\.command/.test(error.hint ?? ""),
		);
	});

	test("the spec's processes: web settings and extra processes", () => {
		const processes = {
			web: { command: "node web.js", instances: 2, healthcheck: { path: "/up", timeoutSeconds: 5, intervalMs: 100, expectedStatus: 204 }, drainSeconds: 5 },
			worker: { command: "node worker.js", instances: 1, healthcheck: { timeoutSeconds: 30, intervalMs: 250 }, drainSeconds: 30 },
		};
		assert.deepEqual(planProcesses(spec({ processes }), facts(null)), [
			{ name: "web", command: "node web.js", instances: 2, web: true, healthcheck: { path: "/up", timeoutSeconds: 5, intervalMs: 100, expectedStatus: 204 }, drainSeconds: 5 },
			{ name: "worker", command: "node worker.js", instances: 1, web: false, healthcheck: { timeoutSeconds: 30, intervalMs: 250 }, drainSeconds: 30 },
		]);
	});

	test("candidate files include package.json main", () => {
		assert.deepEqual(candidateFiles({ main: "./lib/main.js" }), ["package-lock.json", "npm-shrinkwrap.json", "pnpm-lock.yaml", "yarn.lock", "server.js", "index.js", "lib/main.js"]);
	});
});
