import assert from "node:assert/strict";
import { describe, test } from "vitest";
import { type AppSpec, DeployError } from "../../../core/protocol/index.js";
import { candidateFiles, type PackageJson, planBuild, planProcesses, planStatic } from "../../../agents/detect/plan.js";

const spec = (overrides: Partial<AppSpec> = {}): AppSpec => ({ name: "web", processes: {}, env: {}, domains: [], keepReleases: 5, buildTimeoutSeconds: 900, ...overrides });
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
		assert.deepEqual(candidateFiles({ main: "./lib/main.js" }), ["package-lock.json", "npm-shrinkwrap.json", "pnpm-lock.yaml", "yarn.lock", "server.js", "index.js", "index.html", "public/index.html", "lib/main.js"]);
	});
});

describe("frameworks: @vercel/frameworks' detectors, our conventions", async () => {
	const { loadFrameworks, matchFramework } = await import("../../../agents/detect/frameworks.js");
	const { describeDetection } = await import("../../../agents/detect/plan.js");
	const defs = await loadFrameworks();
	const project = (pkg: PackageJson, files: Record<string, string> = {}) => {
		const all = { "package.json": JSON.stringify(pkg), ...files };
		const input = { pkg, files: Object.keys(all), contents: all };
		const slug = matchFramework(defs, input, () => true);
		return { ...input, framework: { slug, outputDirectory: defs.find((d) => d.slug === slug)?.settings?.outputDirectory?.value } };
	};
	const detect = (pkg: PackageJson, files: Record<string, string> = {}, overrides: Partial<AppSpec> = {}) => describeDetection(spec(overrides), project(pkg, files));
	const lock = { "package-lock.json": "{}" };

	test("Next.js: next start, or the standalone server when output is standalone", () => {
		const pkg = { dependencies: { next: "15", react: "19" }, scripts: { build: "next build" } };
		assert.deepEqual(detect(pkg, lock), { framework: "nextjs", packageManager: "npm", install: "npm ci", build: "npm run build", processes: { web: "next start" }, static: null });
		assert.deepEqual(detect(pkg, { ...lock, "next.config.mjs": "export default { output: 'standalone' }" }).processes, { web: "node .next/standalone/server.js" });
	});

	test("Vite is a static SPA, Astro static or with the node adapter, SvelteKit with adapter-node, Nuxt", () => {
		assert.deepEqual(detect({ devDependencies: { vite: "7" }, scripts: { build: "vite build", dev: "vite" } }).static, { dir: "dist", spa: true });
		assert.deepEqual(detect({ dependencies: { astro: "5" }, scripts: { build: "astro build" } }).static, { dir: "dist", spa: false });
		assert.deepEqual(detect({ dependencies: { astro: "5", "@astrojs/node": "9" } }).processes, { web: "node ./dist/server/entry.mjs" });
		const kit = detect({ devDependencies: { "@sveltejs/kit": "2", "@sveltejs/adapter-node": "5", vite: "7" } });
		assert.equal(kit.framework, "sveltekit-1");
		assert.deepEqual(kit.processes, { web: "node build" });
		assert.deepEqual(detect({ dependencies: { nuxt: "3" } }).processes, { web: "node .output/server/index.mjs" });
	});

	test("Express by its import, pnpm from the lockfile, a Procfile's process types", () => {
		const express = detect({ dependencies: { express: "5" }, scripts: { start: "node app.js" } }, { "app.js": "const express = require('express')", "pnpm-lock.yaml": "" });
		assert.deepEqual(express, { framework: "express", packageManager: "pnpm", install: "pnpm install --frozen-lockfile", build: null, processes: { web: "node app.js" }, static: null });
		const procfile = detect({ dependencies: { koa: "2" } }, { Procfile: "web: node web.js\nworker: node jobs.js\n# comment\n" });
		assert.deepEqual(procfile.processes, { web: "node web.js", worker: "node jobs.js" });
	});

	test("the spec overrides detection: framework, package manager, static folder", () => {
		assert.deepEqual(detect({ scripts: { build: "make" } }, {}, { static: { dir: "./public/", spa: false } }).static, { dir: "public", spa: false });
		assert.equal(detect({ dependencies: { left: "1" } }, {}, { packageManager: "yarn" }).install, "yarn install");
		assert.deepEqual(detect({ dependencies: { react: "19" } }, {}, { framework: "create-react-app" }).static, { dir: "build", spa: true });
	});
});

describe("a folder of plain files (issue 14)", () => {
	test("no package.json and an index.html: the folder itself is a static site, nothing installed or built", () => {
		assert.deepEqual(planStatic(spec(), facts(null, ["index.html"])), { dir: ".", spa: false });
		assert.deepEqual(planBuild(spec(), facts(null, ["index.html"])), { packageManager: "npm", install: { skip: "no package.json" }, build: { skip: "no build script" } });
	});

	test("public/index.html: public is the site; a root index.html wins over it", () => {
		assert.deepEqual(planStatic(spec(), facts(null, ["public/index.html"])), { dir: "public", spa: false });
		assert.deepEqual(planStatic(spec(), facts(null, ["index.html", "public/index.html"])), { dir: ".", spa: false });
	});

	test("a package.json, a Procfile's web or a web command keeps it a server", () => {
		assert.equal(planStatic(spec(), facts({ scripts: { start: "node ." } }, ["index.html"])), null);
		assert.equal(planStatic(spec(), { ...facts(null, ["index.html", "Procfile"]), contents: { Procfile: "web: ./serve" } }), null);
		assert.equal(planStatic(spec({ processes: { web: { command: "./serve", instances: 1, healthcheck: { timeoutSeconds: 30, intervalMs: 250 }, drainSeconds: 30 } } }), facts(null, ["index.html"])), null);
	});

	test("detection asks whether the home pages exist", () => {
		assert.ok(candidateFiles(null).includes("index.html") && candidateFiles(null).includes("public/index.html"));
	});
});

describe("failure hints", async () => {
	const { failureHint } = await import("../../../agents/build/failure.js");
	const base = { step: "build" as const, command: "npm run build", exitCode: 1, signal: undefined, lastLines: [], pkg: null, nodeVersion: "v20.0.0" };
	test("out of memory, disk full, missing script, wrong node", () => {
		assert.match(failureHint({ ...base, exitCode: 137 }), /out of memory/);
		assert.match(failureHint({ ...base, lastLines: ["FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory"] }), /out of memory/);
		assert.match(failureHint({ ...base, lastLines: ["npm error ENOSPC: no space left on device"] }), /disk is full/);
		assert.match(failureHint({ ...base, lastLines: ['npm error Missing script: "build"'] }), /no "build" script/);
		assert.match(failureHint({ ...base, step: "install", pkg: { engines: { node: ">=22" } }, lastLines: ["npm warn EBADENGINE Unsupported engine"] }), /wants Node >=22.*v20\.0\.0/);
	});
});

describe("cache keys", async () => {
	const { buildKey, depsKey } = await import("../../../agents/cache/keys.js");
	const id = (c: string) => c.repeat(40);
	const manifest = [
		{ path: "package-lock.json", mode: "100644" as const, id: id("a") },
		{ path: "src/app.js", mode: "100644" as const, id: id("b") },
	];
	test("deps follow the lockfile and Node; the build follows every input", () => {
		const deps = depsKey(manifest, {}, "v20.1.0");
		assert.equal(depsKey([manifest[0]!, { ...manifest[1]!, id: id("c") }], {}, "v20.1.0"), deps);
		assert.notEqual(depsKey([{ ...manifest[0]!, id: id("d") }], {}, "v20.1.0"), deps);
		assert.notEqual(depsKey(manifest, {}, "v22.0.0"), deps);
		const build = buildKey(manifest, spec(), deps);
		assert.notEqual(buildKey([manifest[0]!, { ...manifest[1]!, id: id("c") }], spec(), deps), build);
		assert.notEqual(buildKey(manifest, spec({ env: { API: "x" } }), deps), build);
		assert.equal(buildKey([...manifest].reverse(), spec(), deps), build);
	});
});

describe("a package of a workspace (issue 14)", async () => {
	const { describeDetection, inPackageFolder } = await import("../../../agents/detect/plan.js");
	const { buildKey, depsKey } = await import("../../../agents/cache/keys.js");
	const member = (pkg: PackageJson, rootFiles: string[] = [], rootPkg: PackageJson | null = { workspaces: ["packages/*"] }) => ({
		pkg,
		files: [],
		workspace: { root: "packages/web", pkg: rootPkg, files: rootFiles },
	});

	test("one install at the root with the workspace's lockfile; the package's build script; it always installs, to link the packages", () => {
		assert.deepEqual(planBuild(spec(), member({ scripts: { build: "tsc" } }, ["pnpm-lock.yaml"])), {
			packageManager: "pnpm",
			install: { command: "pnpm install --frozen-lockfile" },
			build: { command: "pnpm run build" },
			buildDir: "packages/web",
		});
		assert.deepEqual(planBuild(spec(), member({ scripts: { start: "node ." } })).install, { command: "npm install" });
		assert.deepEqual(planBuild(spec(), member({}, ["package-lock.json"])).install, { command: "npm ci" });
		assert.equal(planBuild(spec(), member({}, [], { packageManager: "yarn@4.1.0" })).packageManager, "yarn");
		assert.deepEqual(planBuild(spec({ install: "make deps" }), member({})).install, { command: "make deps" });
	});

	test("the static folder is the package's: release-relative for the server, package-relative for deploy.yaml", () => {
		const vite = { devDependencies: { vite: "7" }, scripts: { build: "vite build" } };
		const facts = { ...member(vite), framework: { slug: "vite" } };
		assert.deepEqual(planStatic(spec(), facts), { dir: "packages/web/dist", spa: true });
		assert.deepEqual(planStatic(spec({ static: { dir: "out", spa: false } }), facts), { dir: "packages/web/out", spa: false });
		assert.deepEqual(describeDetection(spec(), facts).static, { dir: "dist", spa: true });
	});

	test("processes run in the package's folder; the agent's static server stays at the release root; outside a workspace nothing changes", () => {
		const inPackage = member({ scripts: { start: "node server.js" } });
		const plans = planProcesses(spec(), inPackage, "serve");
		assert.deepEqual(inPackageFolder(plans, inPackage, "serve"), [{ ...web, command: "node server.js", dir: "packages/web" }]);
		const site = { ...web, command: "serve 'packages/web/dist'" };
		assert.deepEqual(inPackageFolder([site], inPackage, "serve"), [site]);
		assert.deepEqual(inPackageFolder(plans, facts({ scripts: { start: "node server.js" } }), "serve"), plans);
	});

	test("cache keys: deps of a workspace without a lockfile follow every package.json; the build follows which package", () => {
		const id = (c: string) => c.repeat(40);
		const manifest = [
			{ path: "package.json", mode: "100644" as const, id: id("a") },
			{ path: "packages/web/package.json", mode: "100644" as const, id: id("b") },
		];
		const deps = depsKey(manifest, { root: "packages/web" }, "v22.0.0");
		assert.notEqual(depsKey([manifest[0]!, { ...manifest[1]!, id: id("c") }], { root: "packages/web" }, "v22.0.0"), deps);
		// Outside a workspace the key is what it was: existing caches stay valid.
		assert.equal(depsKey([manifest[0]!, { ...manifest[1]!, id: id("c") }], {}, "v22.0.0"), depsKey(manifest, {}, "v22.0.0"));
		assert.notEqual(buildKey(manifest, spec({ root: "packages/web" }), deps), buildKey(manifest, spec({ root: "packages/api" }), deps));
		assert.equal(buildKey(manifest, spec(), deps), buildKey(manifest, spec({ root: undefined }), deps));
	});
});
