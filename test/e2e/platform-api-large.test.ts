// Issue 17, item 5: large files over `deploy --api`. The built CLI with only DEPLOY_TOKEN
// (no server added, no SSH key) against a real sshd + agent + Caddy with a certificate
// from Pebble, trusting only Pebble's root: a project with a 12 MiB file of random bytes
// (over the 1 MiB chunk threshold) deploys, the app serves the file's exact bytes
// through the proxy, and a second deploy with nothing changed sends no chunk. Then the
// chunk route as a script would call it, and its bad input refused with nothing kept.
// Nothing is mocked; the idle timeout is tested in
// test/agents/objects/uploads-across-requests.test.ts. `npm run build` first.
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, readdirSync } from "node:fs";
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { request as httpRequest } from "node:http";
import { request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, test } from "vitest";
import { repoRoot, runCli } from "../helpers/cli.js";
import { writeRandomFile } from "../helpers/random-file.js";
import { expectOk, startTlsTestServer, type TlsTestServer } from "./tls-server.js";

const DOMAIN = "api.example.test";
const APP_HOST = "shop.127.0.0.1.sslip.io";
const MB = 1024 * 1024;

/** The app: serves data/blob.bin's bytes at /blob, as a site serving a download would. */
const SERVER_JS = `import { createReadStream } from "node:fs";
import { createServer } from "node:http";
createServer((request, response) => {
	if (request.url !== "/blob") return response.end("large\\n");
	response.writeHead(200, { "content-type": "application/octet-stream" });
	createReadStream(new URL("./data/blob.bin", import.meta.url)).pipe(response);
}).listen(Number(process.env.PORT ?? 3000), process.env.HOST);
process.on("SIGTERM", () => process.exit(0));
`;

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");
const blobId = (content: Buffer) => createHash("sha1").update(`blob ${content.length}\0`).update(content).digest("hex");

describe("large files over `deploy --api` (Caddy + Pebble)", () => {
	let server: TlsTestServer;
	let root: string;
	let ci: string;
	const keys = { deploy: "", read: "" };
	const apiUrl = () => `https://${DOMAIN}:${server.httpsPort}`;

	/** One HTTPS request to the API through the proxy, trusting only Pebble's root. */
	function api(path: string, key: string, body: Buffer | string, type: string): Promise<{ status: number; json: Record<string, unknown> }> {
		return new Promise((resolve, reject) => {
			const headers = { host: `${DOMAIN}:${server.httpsPort}`, authorization: `Bearer ${key}`, "content-type": type };
			const req = request({ host: "127.0.0.1", port: server.httpsPort, servername: DOMAIN, path, method: "POST", headers, ca: root, agent: false, timeout: 60_000 }, (res) => {
				const chunks: Buffer[] = [];
				res.on("data", (chunk: Buffer) => chunks.push(chunk));
				res.on("end", () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") }));
			});
			req.on("timeout", () => req.destroy(new Error("timed out")));
			req.on("error", reject);
			req.end(body);
		});
	}
	const chunk = (key: string, query: string, bytes: Buffer | string, type = "application/octet-stream") => api(`/api/v1/objects.write?${query}`, key, bytes, type);
	const codeOf = (answer: { json: Record<string, unknown> }) => (answer.json.error as { code: string } | undefined)?.code;

	/** The app's /blob through the proxy, as bytes. */
	function fetchBlob(): Promise<Buffer> {
		return new Promise((resolve, reject) => {
			const req = httpRequest({ host: "127.0.0.1", port: server.httpPort, path: "/blob", headers: { host: APP_HOST }, timeout: 30_000 }, (res) => {
				const chunks: Buffer[] = [];
				res.on("data", (part: Buffer) => chunks.push(part));
				res.on("end", () => (res.statusCode === 200 ? resolve(Buffer.concat(chunks)) : reject(new Error(`GET /blob answered ${res.statusCode}`))));
			});
			req.on("timeout", () => req.destroy(new Error("timed out")));
			req.on("error", reject);
			req.end();
		});
	}

	/** Temp files of unfinished uploads in the agent's object store. */
	const tempFiles = () => {
		const objects = join(server.sshd.agentHome, "objects");
		if (!existsSync(objects)) return [];
		return readdirSync(objects, { recursive: true }).map(String).filter((name) => name.endsWith(".tmp"));
	};

	beforeAll(async () => {
		server = await startTlsTestServer("deploy-api-large-", "shop");
		root = await server.pebble.issuerRoot();
		expectOk(await server.cli(["team", "create", "acme", "--apps", "shop"]));
		for (const scope of ["deploy", "read"] as const) {
			const run = await server.cli(["keys", "create", `ci-${scope}`, "--team", "acme", "--scope", scope, "--apps", "shop", "--json"]);
			expectOk(run);
			keys[scope] = (run.last as { key: string }).key;
		}
		expectOk(await server.cli(["servers", "api", "enable", "prod", "--domain", DOMAIN, "--json"]));
		ci = await mkdtemp(join(tmpdir(), "deploy-api-large-ci-"));
	});

	afterAll(async () => {
		await server?.stop();
		if (ci) await rm(ci, { recursive: true, force: true });
	});

	test("a 12 MiB file deploys with only DEPLOY_TOKEN and the app serves its exact bytes; a second deploy with nothing changed sends no chunk", async () => {
		const appDir = join(ci, "app");
		await cp(join(repoRoot, "examples", "hello"), appDir, { recursive: true });
		await writeFile(join(appDir, "deploy.yaml"), "app: shop\n");
		await writeFile(join(appDir, "server.js"), SERVER_JS);
		await mkdir(join(appDir, "data"));
		await writeRandomFile(join(appDir, "data", "blob.bin"), 12);
		const rootFile = join(ci, "pebble-root.pem");
		await writeFile(rootFile, root);
		// A CI machine: an empty home (no ~/.ssh), an empty deploy store; it trusts Pebble's root and asks Pebble's DNS for the name.
		const env = { HOME: ci, DEPLOY_HOME: join(ci, "deploy-home"), NODE_EXTRA_CA_CERTS: rootFile, DEPLOY_DNS_SERVERS: server.pebble.dnsServer, DEPLOY_TOKEN: keys.deploy };

		const first = await runCli(["--api", apiUrl(), "--json"], { cwd: appDir, env });
		expectOk(first);
		const live = first.last as { status: string; id: string; upload: { objectsSent: number; bytesSent: number } };
		assert.equal(live.status, "live");
		assert.ok(live.upload.bytesSent > 12 * MB, `the file travelled: ${live.upload.bytesSent} bytes sent`);
		const progress = first.lines.filter((l) => l.type === "progress" && l.unit === "bytes");
		assert.ok(progress.length > 0 && progress.at(-1)?.done === progress.at(-1)?.total, "the upload reported its progress to the end");
		const sent = await readFile(join(appDir, "data", "blob.bin"));
		assert.equal(sha256(await fetchBlob()), sha256(sent), "the app serves the same bytes");
		assert.deepEqual(tempFiles(), [], "no temp file is left in the store");

		const second = await runCli(["--api", apiUrl(), "--json"], { cwd: appDir, env });
		expectOk(second);
		const again = second.last as { status: string; upload: { objectsSent: number; bytesSent: number } };
		assert.equal(again.status, "live");
		assert.equal(again.upload.objectsSent, 0, second.stdout);
		assert.ok(again.upload.bytesSent < MB, `no chunk travelled: ${again.upload.bytesSent} bytes sent`);
		assert.equal(sha256(await fetchBlob()), sha256(sent));
		console.log(`deploy --api with a 12 MiB file: ${live.upload.bytesSent} bytes sent; unchanged redeploy: ${again.upload.bytesSent} bytes`);
	});

	test("the chunk route as a script calls it: two chunks, the second stores the file; bad input is refused with its code and nothing is kept", async () => {
		const content = randomBytes(MB + 4096);
		const id = blobId(content);
		const query = (offset: number) => `id=${id}&size=${content.length}&offset=${offset}&deflated=false`;

		// Refused, each with its code; none leaves anything behind.
		const asJson = await chunk(keys.deploy, query(0), JSON.stringify({ bytes: "x" }), "application/json");
		assert.deepEqual([asJson.status, codeOf(asJson)], [415, "UNSUPPORTED_MEDIA_TYPE"]);
		const badId = await chunk(keys.deploy, `id=nope&size=10&offset=0`, Buffer.alloc(10));
		assert.deepEqual([badId.status, codeOf(badId)], [400, "INVALID_PARAMS"]);
		const tooBig = await chunk(keys.deploy, query(0), Buffer.alloc(MB + 1));
		assert.deepEqual([tooBig.status, codeOf(tooBig)], [413, "BODY_TOO_LARGE"]);
		const readOnly = await chunk(keys.read, query(0), content.subarray(0, MB));
		assert.deepEqual([readOnly.status, codeOf(readOnly)], [403, "PERMISSION_DENIED"]);
		const wrongBytes = await chunk(keys.deploy, `id=${id}&size=4&offset=0`, Buffer.from("abcd"));
		assert.deepEqual([wrongBytes.status, codeOf(wrongBytes)], [400, "OBJECT_CORRUPT"]);
		assert.deepEqual(tempFiles(), []);

		const firstPart = await chunk(keys.deploy, query(0), content.subarray(0, MB));
		assert.equal(firstPart.status, 200, JSON.stringify(firstPart.json));
		assert.deepEqual(firstPart.json.result, { received: MB, stored: false });
		assert.equal(tempFiles().length, 1, "the unfinished file waits on disk for its next chunk");
		const lastPart = await chunk(keys.deploy, query(MB), content.subarray(MB));
		assert.deepEqual(lastPart.json.result, { received: content.length, stored: true });
		assert.deepEqual(tempFiles(), []);
		const missing = await api("/api/v1/objects.missing", keys.deploy, JSON.stringify({ ids: [id] }), "application/json");
		assert.deepEqual((missing.json.result as { missing: string[] }).missing, [], "the server has the file");
	});
});
