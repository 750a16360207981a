// Issue 6, HTTP rules end to end: deploy.yaml's redirects, rewrites and headers through
// the built CLI, a real sshd, the agent and Caddy (`npm run build` first). The app
// echoes the path it received, so a rewrite is seen from the outside.
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, test } from "vitest";
import { stopAgentHome } from "../fixtures/sshd.js";
import { runCli } from "../helpers/cli.js";
import { freePort } from "../helpers/net.js";
import { startTestServer, type TestServer } from "./server.js";

const echoApp = `import { createServer } from "node:http";
createServer((req, res) => {
	res.writeHead(200, { "content-type": "text/plain", "x-powered-by": "echo" });
	res.end(req.url);
}).listen(Number(process.env.PORT));
process.on("SIGTERM", () => process.exit(0));
`;

const rulesYaml = [
	"app: site",
	"domains: [example.test, www.example.test]",
	"hostRedirects:",
	"  - { from: www.example.test, to: example.test }",
	"redirects:",
	"  - { from: /blog/*, to: /posts/*, status: 302 }",
	"rewrites:",
	"  - { from: /api/*, to: /v2/* }",
	"headers:",
	"  - { set: { X-Frame-Options: DENY }, remove: [X-Powered-By] }",
].join("\n");

function get(port: number, host: string, path: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
	return new Promise((resolve, reject) => {
		const req = request({ host: "127.0.0.1", port, path, headers: { host, connection: "close" }, agent: false }, (res) => {
			let body = "";
			res.setEncoding("utf8");
			res.on("data", (chunk: string) => {
				body += chunk;
			});
			res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
		});
		req.on("error", reject);
		req.end();
	});
}

describe("HTTP rules through the CLI", () => {
	let server: TestServer;
	const deploy = () => server.cli(["--json"]);

	beforeAll(async () => {
		server = await startTestServer("hello");
		await writeFile(join(server.appDir, "server.js"), echoApp);
		await writeFile(join(server.appDir, "deploy.yaml"), rulesYaml);
		const run = await deploy();
		assert.equal(run.code, 0, run.stderr + run.stdout);
	});
	afterAll(() => server?.stop());

	test("a deploy applies deploy.yaml's redirects, rewrites and headers", async () => {
		const www = await get(server.httpPort, "www.example.test", "/a?b=1");
		assert.equal(www.status, 301);
		assert.equal(www.headers.location, "http://example.test/a?b=1");
		const blog = await get(server.httpPort, "example.test", "/blog/hello?ref=1");
		assert.equal(blog.status, 302);
		assert.equal(blog.headers.location, "http://example.test/posts/hello?ref=1");
		const api = await get(server.httpPort, "example.test", "/api/users?id=7");
		assert.equal(api.body, "/v2/users?id=7");
		assert.equal(api.headers["x-frame-options"], "DENY");
		assert.equal(api.headers["x-powered-by"], undefined);
		assert.equal(api.headers["strict-transport-security"], undefined, "no HSTS over plain HTTP");
	});

	test("a redirect loop is refused with its path, exit 2, and the live rules stay", async () => {
		await writeFile(join(server.appDir, "deploy.yaml"), `${rulesYaml.replace("/posts/*", "/blog/*")}\n`);
		const run = await deploy();
		assert.equal(run.code, 2, run.stderr + run.stdout);
		const error = run.last.error as { code: string; message: string; details?: string[] };
		assert.match(JSON.stringify(error), /redirects\/0\/to: is a redirect loop: \/blog → \/blog/);
		assert.equal((await get(server.httpPort, "example.test", "/blog/x")).headers.location, "http://example.test/posts/x");
	});

	test("changing the rules and deploying again replaces them", async () => {
		await writeFile(join(server.appDir, "deploy.yaml"), "app: site\ndomains: [example.test, www.example.test]\nrewrites:\n  - { from: /*, to: /app/* }\n");
		const run = await deploy();
		assert.equal(run.code, 0, run.stderr + run.stdout);
		assert.equal((await get(server.httpPort, "www.example.test", "/x")).body, "/app/x", "the host redirect is gone, the new rewrite applies");
		assert.equal((await get(server.httpPort, "example.test", "/blog/x")).body, "/app/blog/x");
		assert.equal((await get(server.httpPort, "example.test", "/")).headers["x-powered-by"], "echo");
	});
});

describe("HTTP rules in deploy preview (the builtin proxy)", () => {
	let home: string;
	let appDir: string;

	beforeAll(async () => {
		home = await mkdtemp(join(tmpdir(), "deploy-rules-preview-home-"));
		appDir = await mkdtemp(join(tmpdir(), "deploy-rules-preview-app-"));
		await writeFile(join(appDir, "package.json"), JSON.stringify({ name: "site", scripts: { start: "node server.js" } }));
		await writeFile(join(appDir, "server.js"), echoApp);
		await writeFile(join(appDir, "deploy.yaml"), rulesYaml);
	});
	afterAll(async () => {
		await stopAgentHome(join(home, "preview"));
		await rm(home, { recursive: true, force: true });
		await rm(appDir, { recursive: true, force: true });
	});

	test("the same deploy.yaml gives the same redirects, rewrites and headers locally", async () => {
		const port = await freePort();
		const run = await runCli(["preview", appDir, "--port", String(port), "--json"], { env: { DEPLOY_HOME: home } });
		assert.equal(run.code, 0, run.stderr + run.stdout);
		const host = `site.localhost:${port}`;
		const blog = await get(port, host, "/blog/hello?ref=1");
		assert.equal(blog.status, 302);
		assert.equal(blog.headers.location, `http://${host}/posts/hello?ref=1`);
		const api = await get(port, host, "/api/users?id=7");
		assert.equal(api.body, "/v2/users?id=7");
		assert.equal(api.headers["x-frame-options"], "DENY");
		assert.equal(api.headers["x-powered-by"], undefined);
	});
});
