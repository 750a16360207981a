// Issue 14, item 8, through the built CLI against a real sshd, the agent and Caddy: an
// npm workspace (packages/lib exports a function, packages/web requires it by name)
// deployed from packages/web answers through Caddy using its sibling; the root with
// no start script says which packages there are; `root:` in the root's deploy.yaml
// picks one; a redeploy installs nothing (the workspace's dependency cache). The
// workspace has no dependency outside itself, so the local npm installs it without
// reaching any registry.
import assert from "node:assert/strict";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, test } from "vitest";
import { parse } from "yaml";
import { httpGet } from "../helpers/net.js";
import { startTestServer, type TestServer } from "./server.js";

const WORKSPACE: Record<string, string> = {
	"package.json": JSON.stringify({ name: "shop", private: true, workspaces: ["packages/*"] }, null, 2),
	".gitignore": "node_modules\n",
	"packages/lib/package.json": JSON.stringify({ name: "@shop/lib", version: "1.0.0", main: "index.js" }, null, 2),
	"packages/lib/index.js": 'exports.greet = (who) => "hello " + who + ", from @shop/lib";\n',
	"packages/web/package.json": JSON.stringify({ name: "@shop/web", version: "1.0.0", dependencies: { "@shop/lib": "1.0.0" }, engines: { node: ">=20" }, scripts: { build: "node build.js", start: "node server.js" } }, null, 2),
	// The build runs in the package's folder: it writes down which folder that is.
	"packages/web/build.js": 'require("node:fs").writeFileSync("built-in.txt", require("node:path").basename(process.cwd()));\n',
	"packages/web/server.js": [
		'const { greet } = require("@shop/lib");',
		'const { readFileSync } = require("node:fs");',
		'const who = readFileSync("WHO", "utf8").trim();',
		'const builtIn = readFileSync("built-in.txt", "utf8");',
		'require("node:http").createServer((req, res) => res.end(greet(who) + " (built in " + builtIn + ")\\n")).listen(Number(process.env.PORT), process.env.HOST);',
		"",
	].join("\n"),
	// Read from the process's working folder: it must be the package's, not the workspace root's.
	"packages/web/WHO": "web\n",
};

interface Step {
	type?: string;
	step?: string;
	status?: string;
	message?: string;
}

describe("an npm workspace", () => {
	let server: TestServer;
	let repo: string;
	const write = async (path: string, text: string) => {
		await mkdir(dirname(join(repo, path)), { recursive: true });
		await writeFile(join(repo, path), text);
	};

	beforeAll(async () => {
		server = await startTestServer("hello");
		repo = join(await mkdtemp(join(tmpdir(), "deploy-e2e-workspace-")), "shop");
		for (const [path, text] of Object.entries(WORKSPACE)) await write(path, text);
	});
	afterAll(async () => {
		await server?.stop();
		await rm(dirname(repo), { recursive: true, force: true });
	});

	test("`deploy` in packages/web uploads the workspace, installs at its root and builds and serves the package in its folder, using its sibling", async () => {
		const run = await server.cli(["--json"], join(repo, "packages/web"));
		assert.equal(run.code, 0, run.stderr + run.stdout);
		assert.equal(run.last.status, "live");
		assert.equal(run.last.app, "web", "named after the package (@shop/web), scope dropped");
		const logs = (run.lines as { type?: string; line?: string }[]).filter((line) => line.type === "log").map((line) => line.line);
		assert.ok(logs.some((line) => /^node: v\d+.*engines\.node in package\.json asks for ">=20"/.test(line ?? "")), `the package's engines.node chose Node: ${logs.join("\n")}`);
		const answer = await httpGet(server.httpPort, "web.127.0.0.1.sslip.io");
		assert.equal(answer.status, 200);
		assert.equal(answer.body, "hello web, from @shop/lib (built in web)\n");
	});

	test("a redeploy after a source change restores the workspace's dependencies from the cache", async () => {
		await write("packages/web/WHO", "web again\n");
		const run = await server.cli(["--json"], join(repo, "packages/web"));
		assert.equal(run.code, 0, run.stderr + run.stdout);
		const install = (run.lines as Step[]).find((line) => line.type === "step" && line.step === "install" && line.status === "skipped");
		assert.match(install?.message ?? "", /dependency cache hit/);
		assert.equal((await httpGet(server.httpPort, "web.127.0.0.1.sslip.io")).body, "hello web again, from @shop/lib (built in web)\n");
	});

	test("a rollback starts the kept release in the package's folder again", async () => {
		const back = await server.cli(["rollback", "--json"], join(repo, "packages/web"));
		assert.equal(back.code, 0, back.stderr + back.stdout);
		assert.equal((await httpGet(server.httpPort, "web.127.0.0.1.sslip.io")).body, "hello web, from @shop/lib (built in web)\n");
	});

	test("`deploy` at the root, which has no start script, names the packages and changes nothing", async () => {
		const run = await server.cli(["--json"], repo);
		assert.equal(run.code, 1, run.stdout);
		const error = run.last.error as { code: string; message: string; hint: string };
		assert.equal(error.code, "NO_START_COMMAND");
		assert.match(error.message, /root of a workspace/);
		assert.match(error.message, /packages\/lib \(@shop\/lib\), packages\/web \(@shop\/web\)/);
		assert.match(error.hint, /root: packages\/lib/);
		const apps = await server.cli(["ls", "--json"]);
		assert.doesNotMatch(apps.stdout, /"shop"/);
	});

	test("`root: packages/web` in the root's deploy.yaml deploys that package; a root outside the workspace is refused", async () => {
		await write("deploy.yaml", "app: shop-web\nroot: packages/web\n");
		const run = await server.cli(["--json"], repo);
		assert.equal(run.code, 0, run.stderr + run.stdout);
		assert.equal((await httpGet(server.httpPort, "shop-web.127.0.0.1.sslip.io")).body, "hello web again, from @shop/lib (built in web)\n");

		await write("deploy.yaml", "root: ../elsewhere\n");
		const outside = await server.cli(["--json"], repo);
		assert.equal(outside.code, 2, outside.stdout);
		assert.match((outside.last.error as { message: string }).message, /root.*inside the project/);
		await write("deploy.yaml", "root: docs\n");
		const notPackage = await server.cli(["--json"], repo);
		assert.equal(notPackage.code, 2, notPackage.stdout);
		const error = notPackage.last.error as { message: string; hint: string };
		assert.match(error.message, /root: docs is not a package of the workspace/);
		assert.match(error.hint, /packages\/lib, packages\/web/);
		await rm(join(repo, "deploy.yaml"));
	});

	test("`deploy init` in packages/web writes what the server will do (one install at the workspace root); at the root it names the packages and root:", async () => {
		const init = await server.cli(["init"], join(repo, "packages/web"));
		assert.equal(init.code, 0, init.stderr);
		const written = parse(await readFile(join(repo, "packages/web/deploy.yaml"), "utf8")) as Record<string, unknown>;
		assert.deepEqual(written, { app: "web", framework: "node", packageManager: "npm", install: "npm install", build: "npm run build", processes: { web: { command: "node server.js" } } });

		const atRoot = await server.cli(["init"], repo);
		assert.equal(atRoot.code, 0, atRoot.stderr);
		assert.match(await readFile(join(repo, "deploy.yaml"), "utf8"), /root of a workspace; its packages: packages\/lib, packages\/web\.[\s\S]*\n# root: packages\/web\n/);
	});
});
