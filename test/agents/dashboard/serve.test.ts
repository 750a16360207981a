// Issue 17, item 4: the dashboard's files as the API's listener answers them, over a real
// node:http listener on 127.0.0.1: the page marked as served by a server, the policy
// headers, assets as they are, and nothing outside the build, however the path is spelled
// or wherever a link inside the build points.
import assert from "node:assert/strict";
import { createServer, request, type Server } from "node:http";
import { mkdir, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, test } from "vitest";
import { DASHBOARD_CSP } from "../../../agents/dashboard/headers.js";
import { installDashboard } from "../../../agents/dashboard/install.js";
import { dashboardPaths } from "../../../agents/dashboard/paths.js";
import { serveDashboard } from "../../../agents/dashboard/serve.js";
import { resolveHome } from "../../../agents/home.js";
import { blobId } from "../../../agents/objects/blob-id.js";
import { ObjectStore } from "../../../agents/objects/store.js";

const home = resolveHome({ DEPLOY_AGENT_HOME: join(tmpdir(), `deploy-dashboard-serve-${process.pid}`) });
let server: Server;
let port: number;

function get(path: string, method = "GET"): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
	return new Promise((resolve, reject) => {
		// The path goes out as written: no client-side normalization of `..`.
		const req = request({ host: "127.0.0.1", port, path, method, agent: false }, (res) => {
			const chunks: Buffer[] = [];
			res.on("data", (chunk: Buffer) => chunks.push(chunk));
			res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
		});
		req.on("error", reject);
		req.end();
	});
}

beforeAll(async () => {
	await mkdir(home.root, { recursive: true });
	server = createServer((req, res) => void serveDashboard(home.root, req, res));
	await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
	port = (server.address() as { port: number }).port;
});
afterAll(async () => {
	await new Promise((resolve) => server.close(resolve));
	await rm(home.root, { recursive: true, force: true });
});

test("before a build is installed: 404 with what to run", async () => {
	const answer = await get("/");
	assert.equal(answer.status, 404);
	assert.match(answer.body, /deploy servers api enable/);
});

test("the page, its assets and client routes; GET and HEAD only; nothing outside the build", async () => {
	const store = new ObjectStore(home.objects);
	const files = [];
	for (const [path, text] of Object.entries({ "index.html": "<!doctype html><html><head><title>Deploy</title></head></html>", "assets/index-a1b2c3d4.js": "run()" })) {
		await store.put(blobId(Buffer.from(text)), Buffer.from(text));
		files.push({ path, id: blobId(Buffer.from(text)) });
	}
	const { version } = await installDashboard({ home, store }, files);
	// Secrets of the agent's home, two folders above the build, and a link inside the build pointing at one.
	await writeFile(join(home.root, "api-keys.json"), '{"secret":"hash"}');
	await symlink(join(home.root, "api-keys.json"), join(dashboardPaths(home.root).build(version), "assets", "keys-a1b2c3d4.js"));

	const page = await get("/");
	assert.equal(page.status, 200);
	assert.equal(page.headers["content-type"], "text/html; charset=utf-8");
	assert.equal(page.headers["content-security-policy"], DASHBOARD_CSP);
	assert.equal(page.headers["cache-control"], "no-cache");
	assert.equal(page.headers["access-control-allow-origin"], undefined);
	assert.match(page.body, /<head><meta name="deploy-mode" content="server"><title>/);
	assert.equal((await get("/invite")).body, page.body);

	const asset = await get("/assets/index-a1b2c3d4.js");
	assert.equal(asset.body, "run()");
	assert.equal(asset.headers["cache-control"], "public, max-age=31536000, immutable");
	assert.match(String(asset.headers["content-type"]), /javascript/);
	const head = await get("/assets/index-a1b2c3d4.js", "HEAD");
	assert.equal(head.status, 200);
	assert.equal(head.body, "");
	assert.equal((await get("/", "POST")).status, 405);

	for (const path of ["/../../api-keys.json", "/..%2f..%2fapi-keys.json", "/assets/..%2f..%2f..%2fapi-keys.json", "/%2e%2e/%2e%2e/api-keys.json", "/assets/keys-a1b2c3d4.js", "/assets/%00.js", "/%E0%A4%A.js"]) {
		const answer = await get(path);
		assert.ok([400, 404].includes(answer.status), `${path}: ${answer.status}`);
		assert.doesNotMatch(answer.body, /secret/, path);
	}
});
