import assert from "node:assert/strict";
import { describe, test } from "vitest";
import { parse } from "yaml";
import type { Detection } from "../../../core/api/types.js";
import { projectConfigSchema, renderDeployYaml } from "../../../core/config/index.js";
import { describeDetected, initConfig, initNote, workspaceRootNote } from "../../../core/deploy/init-plan.js";

const base = { app: "shop", ...projectConfigSchema.parse({}) };

const express: Detection = { framework: "express", packageManager: "npm", install: "npm ci", build: null, processes: { web: "node server.js" }, static: null };
const vite: Detection = { framework: "vite", packageManager: "pnpm", install: "pnpm install --frozen-lockfile", build: "pnpm run build", processes: {}, static: { dir: "dist", spa: true } };

describe("deploy init's plan", () => {
	test("an Express app: everything detected is written as keys; what was not found stays out", () => {
		const config = initConfig(base, express);
		assert.equal(config.framework, "express");
		assert.equal(config.packageManager, "npm");
		assert.equal(config.install, "npm ci");
		assert.equal(config.build, undefined);
		assert.deepEqual(config.processes?.web?.command, "node server.js");
		const written = parse(renderDeployYaml(config)) as Record<string, unknown>;
		assert.deepEqual(written, { app: "shop", framework: "express", packageManager: "npm", install: "npm ci", processes: { web: { command: "node server.js" } } });
	});

	test("a Vite SPA: the static folder and the build are written, no web process", () => {
		const written = parse(renderDeployYaml(initConfig(base, vite))) as Record<string, unknown>;
		assert.deepEqual(written, { app: "shop", framework: "vite", packageManager: "pnpm", install: "pnpm install --frozen-lockfile", build: "pnpm run build", static: { dir: "dist", spa: true } });
	});

	test("what init prints names each fact, and says when no start command was found", () => {
		assert.deepEqual(describeDetected("shop", express), {
			app: "shop",
			framework: "express",
			packageManager: "npm",
			install: "npm ci",
			build: "none (no build script)",
			"processes.web": "node server.js",
		});
		const none = describeDetected("x", { framework: null, packageManager: "npm", install: null, build: null, processes: {}, static: null });
		assert.equal(none.framework, "none detected");
		assert.equal(none.packageManager, "none needed (nothing to install or build)");
		assert.match(none["processes.web"] ?? "", /^not found/);
		assert.equal(describeDetected("shop", vite).static, "dist (single-page app: unknown paths answer index.html)");
	});

	test("a folder of plain files (issue 14): static dir . written, no package manager, and a note that says why", () => {
		const plain: Detection = { framework: null, packageManager: "npm", install: null, build: null, processes: {}, static: { dir: ".", spa: false } };
		assert.deepEqual(parse(renderDeployYaml(initConfig(base, plain), initNote(plain))), { app: "shop", static: { dir: ".", spa: false } });
		assert.match(initNote(plain).join("\n"), /files of this folder are served as they are/);
		assert.equal(describeDetected("shop", plain).framework, "none (a folder of plain files)");
		assert.match(initNote({ ...plain, static: { dir: "public", spa: false } }).join("\n"), /files of public\/ are served/);
	});

	test("nothing recognised: a note that names both ways to run it; nothing is noted for a detected app", () => {
		const none: Detection = { framework: null, packageManager: "npm", install: null, build: null, processes: {}, static: null };
		assert.match(initNote(none).join("\n"), /processes\.web\.command.*\n.*static\.dir/s);
		assert.deepEqual(initNote(express), []);
	});

	test("at a workspace's root (issue 14): a note that names its packages and root:", () => {
		assert.deepEqual(workspaceRootNote([]), []);
		const note = workspaceRootNote(["packages/lib", "packages/web"]).join("\n");
		assert.match(note, /packages: packages\/lib, packages\/web/);
		assert.match(note, /set root: to it/);
	});
});
