import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, test } from "vitest";
import { loadProjectConfig, renderDeployYaml, toAppSpec } from "../../../core/config/index.js";

const root = await mkdtemp(join(tmpdir(), "deploy-config-"));
afterAll(() => rm(root, { recursive: true, force: true }));

let count = 0;
/** A fresh project folder holding `files`. */
async function project(files: Record<string, string>, name = `project${count++}`): Promise<string> {
	const dir = join(root, name);
	await mkdir(dir, { recursive: true });
	for (const [path, content] of Object.entries(files)) {
		await mkdir(dirname(join(dir, path)), { recursive: true });
		await writeFile(join(dir, path), content);
	}
	return dir;
}

async function errorsOf(dir: string): Promise<string[]> {
	const result = await loadProjectConfig(dir);
	assert.equal(result.ok, false, "expected the config to be rejected");
	return result.ok ? [] : result.errors.map((error) => `${error.path}: ${error.message}`);
}

describe("loadProjectConfig", () => {
	test("reads a full deploy.yaml and fills defaults", async () => {
		const dir = await project({
			"deploy.yaml": [
				"app: shop",
				"server: vps",
				"build: npm run build",
				"processes:",
				"  web:",
				"    command: node server.js",
				"    instances: 2",
				"    healthcheck: { path: /healthz }",
				"  worker: {}",
				"env:",
				'  NODE_ENV: production',
				'  PORT_OFFSET: "3"',
				"domains: [shop.example.com]",
			].join("\n"),
		});
		const result = await loadProjectConfig(dir);
		assert.ok(result.ok);
		assert.deepEqual(result.config, {
			app: "shop",
			server: "vps",
			build: "npm run build",
			processes: {
				web: { command: "node server.js", instances: 2, healthcheck: { path: "/healthz", timeoutSeconds: 30, intervalMs: 250 }, drainSeconds: 30 },
				worker: { instances: 1, healthcheck: { timeoutSeconds: 30, intervalMs: 250 }, drainSeconds: 30 },
			},
			env: { NODE_ENV: "production", PORT_OFFSET: "3" },
			domains: ["shop.example.com"],
			releases: { keep: 5 },
			buildTimeoutSeconds: 900,
		});
		assert.equal(result.file, join(dir, "deploy.yaml"));
		assert.deepEqual(result.warnings, []);
	});

	test("names each problem by its path, with a readable message and its line", async () => {
		const dir = await project({
			"deploy.yaml": [
				"app: Shop",
				"servr: vps",
				"processes:",
				"  web:",
				"    instances: 0",
				"    healthcheck: { path: health }",
				"env:",
				"  PORT: 3000",
				"  my-var: x",
				"domains: [example.com, not a host]",
			].join("\n"),
		});
		const result = await loadProjectConfig(dir);
		assert.ok(!result.ok);
		const lines = result.errors.map((error) => `${error.path}: ${error.message}`);
		assert.deepEqual(lines.sort(), [
			"app: must be lowercase letters, digits and dashes (a DNS label)",
			"domains/1: must not contain spaces",
			"env/PORT: must be a string (put numbers and booleans in quotes)",
			"env/my-var: must be a shell variable name (letters, digits and _, not starting with a digit)",
			"processes/web/healthcheck/path: must start with /",
			"processes/web/instances: must be at least 1",
			'servr: unknown key (did you mean "server"?)',
		]);
		const instances = result.errors.find((error) => error.path === "processes/web/instances");
		assert.equal(instances?.line, 5);
	});

	test("framework, packageManager, static and buildTimeoutSeconds are checked where they are written", async () => {
		const good = await project({ "deploy.yaml": "framework: express\npackageManager: pnpm\nstatic: { dir: dist }\nbuildTimeoutSeconds: 60\n", "package.json": '{"name":"site"}' });
		const result = await loadProjectConfig(good);
		assert.ok(result.ok, JSON.stringify(result));
		assert.deepEqual([result.config.framework, result.config.packageManager, result.config.static, result.config.buildTimeoutSeconds], ["express", "pnpm", { dir: "dist", spa: false }, 60]);
		const bad = await project({ "deploy.yaml": "app: site\nframework: Next.js\npackageManager: bun\nstatic: { dir: ../outside, spa: yes }\nbuildTimeoutSeconds: 5\n" });
		const errors = await errorsOf(bad);
		assert.deepEqual(
			errors.map((line) => line.split(":")[0]).sort(),
			["buildTimeoutSeconds", "framework", "packageManager", "static/dir", "static/spa"],
			errors.join("\n"),
		);
		assert.ok(errors.some((line) => line.startsWith("static/dir: must be a folder inside the project")), errors.join("\n"));
	});

	test("an unknown nested key is an error, never silently ignored", async () => {
		const dir = await project({ "deploy.yaml": "processes:\n  web:\n    instanses: 2\n" });
		assert.deepEqual(await errorsOf(dir), ['processes/web/instanses: unknown key (did you mean "instances"?)']);
	});

	test("a YAML syntax error gives its line and column", async () => {
		const dir = await project({ "deploy.yaml": "app: shop\nprocesses: [\n  web: 1\n" });
		const result = await loadProjectConfig(dir);
		assert.ok(!result.ok);
		assert.match(result.errors[0]!.path, /^deploy\.yaml:\d+:\d+$/);
		assert.equal(typeof result.errors[0]!.line, "number");
		assert.equal(typeof result.errors[0]!.column, "number");
	});

	test("a key written twice is an error", async () => {
		const dir = await project({ "deploy.yaml": "app: one\napp: two\n" });
		const [error] = await errorsOf(dir);
		assert.match(error!, /^deploy\.yaml:2:1: .*unique/);
	});

	test("a document that is not a mapping is an error at the root", async () => {
		const dir = await project({ "deploy.yaml": "- app\n" });
		assert.deepEqual(await errorsOf(dir), ["deploy.yaml: must be a mapping (key: value), not a list"]);
	});

	test("without deploy.yaml, the defaults come from package.json", async () => {
		const dir = await project({ "package.json": JSON.stringify({ name: "@acme/My_Shop.App", scripts: { start: "node ." } }) });
		const result = await loadProjectConfig(dir);
		assert.ok(result.ok);
		assert.deepEqual(result.config, { app: "my-shop-app", processes: {}, env: {}, domains: [], releases: { keep: 5 }, buildTimeoutSeconds: 900 });
		assert.equal(result.file, null);
		assert.equal(result.warnings.length, 1);
		assert.match(result.warnings[0]!, /my-shop-app.*@acme\/My_Shop\.App/);
	});

	test("deploy.yaml without app takes package.json's name, else the folder's", async () => {
		const withPackage = await project({ "deploy.yaml": "server: vps\n", "package.json": '{"name":"hello"}' });
		const fromPackage = await loadProjectConfig(withPackage);
		assert.ok(fromPackage.ok);
		assert.equal(fromPackage.config.app, "hello");

		const bare = await project({ "deploy.yaml": "" }, "Blog Site");
		const fromFolder = await loadProjectConfig(bare);
		assert.ok(fromFolder.ok);
		assert.equal(fromFolder.config.app, "blog-site");
	});

	test("nothing to deploy (no deploy.yaml, package.json or index.html) is an error that says what was looked for and what to do", async () => {
		const dir = await project({ "README.txt": "notes" });
		const [error] = await errorsOf(dir);
		assert.match(error!, /no deploy\.yaml, package\.json or index\.html \(nor public\/index\.html\).*deploy init/);
		// `deploy init` reads it all the same, to write a deploy.yaml that explains the choices.
		assert.equal((await loadProjectConfig(dir, { ignoreDeployYaml: true })).ok, true);
	});

	test("issue 14: root: names a package, which names the app; it must stay inside the project", async () => {
		const dir = await project({ "deploy.yaml": "root: packages/web\n", "package.json": '{"name":"shop","workspaces":["packages/*"]}', "packages/web/package.json": '{"name":"@shop/web"}' });
		const loaded = await loadProjectConfig(dir);
		assert.ok(loaded.ok, JSON.stringify(loaded));
		assert.equal(loaded.config.app, "web");
		assert.equal(loaded.config.root, "packages/web");
		const outside = await project({ "deploy.yaml": "root: ../other\n", "package.json": "{}" });
		assert.match((await errorsOf(outside))[0]!, /^root: must be a folder inside the project/);
	});

	test("issue 14: a folder of plain files with an index.html (or public/index.html) is a project named after its folder", async () => {
		for (const page of ["index.html", "public/index.html"]) {
			const dir = await project({ [page]: "<p>hi</p>" }, `site-${page.length}`);
			const loaded = await loadProjectConfig(dir);
			assert.ok(loaded.ok, JSON.stringify(loaded));
			assert.equal(loaded.config.app, `site-${page.length}`);
		}
	});

	test("a deploy.yml is pointed out rather than ignored", async () => {
		const dir = await project({ "deploy.yml": "app: x\n", "package.json": '{"name":"x"}' });
		assert.deepEqual(await errorsOf(dir), ["deploy.yml: the config file must be named deploy.yaml; rename it"]);
	});

	test("ignoreDeployYaml reads only package.json, for `deploy init --force`", async () => {
		const dir = await project({ "deploy.yaml": "app: [broken", "package.json": '{"name":"fresh"}' });
		const result = await loadProjectConfig(dir, { ignoreDeployYaml: true });
		assert.ok(result.ok);
		assert.equal(result.config.app, "fresh");
		assert.equal(result.file, null);
	});

	test("a domain listed twice is a warning", async () => {
		const dir = await project({ "deploy.yaml": "app: x\ndomains: [a.example.com, a.example.com]\n" });
		const result = await loadProjectConfig(dir);
		assert.ok(result.ok);
		assert.deepEqual(result.warnings, ["domains: a.example.com is listed twice"]);
	});
});

describe("toAppSpec", () => {
	test("leaves unconfigured commands unset so the agent detects them", async () => {
		const dir = await project({ "package.json": '{"name":"hello"}' });
		const result = await loadProjectConfig(dir);
		assert.ok(result.ok);
		assert.deepEqual(toAppSpec(result.config), { name: "hello", processes: {}, env: {}, domains: [], keepReleases: 5, buildTimeoutSeconds: 900 });
	});

	test("carries every configured value", () => {
		const spec = toAppSpec({
			app: "shop",
			install: "npm ci",
			build: "npm run build",
			processes: { web: { command: "node s.js", instances: 3, healthcheck: { path: "/up", timeoutSeconds: 10, intervalMs: 100, expectedStatus: 204 }, drainSeconds: 5 } },
			env: { A: "1" },
			domains: ["shop.example.com"],
			releases: { keep: 8 },
			framework: "express",
			packageManager: "pnpm",
			static: { dir: "dist", spa: true },
			buildTimeoutSeconds: 120,
		});
		assert.deepEqual(spec, {
			name: "shop",
			install: "npm ci",
			build: "npm run build",
			processes: { web: { command: "node s.js", instances: 3, healthcheck: { path: "/up", timeoutSeconds: 10, intervalMs: 100, expectedStatus: 204 }, drainSeconds: 5 } },
			env: { A: "1" },
			domains: ["shop.example.com"],
			keepReleases: 8,
			framework: "express",
			packageManager: "pnpm",
			static: { dir: "dist", spa: true },
			buildTimeoutSeconds: 120,
		});
	});
});

describe("renderDeployYaml", () => {
	test("writes a commented file that loads back to the same config", async () => {
		const config = {
			app: "shop",
			server: "vps",
			processes: { web: { command: "node server.js", instances: 2, healthcheck: { path: "/healthz", timeoutSeconds: 30, intervalMs: 250 }, drainSeconds: 30 } },
			env: { GREETING: "hello: world" },
			domains: [],
			releases: { keep: 5 },
			buildTimeoutSeconds: 900,
		};
		const text = renderDeployYaml(config);
		assert.match(text, /^# The server to deploy to/m);
		assert.match(text, /^# build: npm run build$/m, "unset keys appear as commented examples");
		assert.doesNotMatch(text, /timeoutSeconds/, "defaults are not written out");
		const dir = await project({ "deploy.yaml": text });
		const result = await loadProjectConfig(dir);
		assert.ok(result.ok, JSON.stringify(result));
		assert.deepEqual(result.config, config);
	});

	test("a file with only the app name is valid", async () => {
		const dir = await project({ "deploy.yaml": renderDeployYaml({ app: "tiny" }) });
		const result = await loadProjectConfig(dir);
		assert.ok(result.ok);
		assert.deepEqual(result.config, { app: "tiny", processes: {}, env: {}, domains: [], releases: { keep: 5 }, buildTimeoutSeconds: 900 });
	});
});
