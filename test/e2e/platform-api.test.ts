// Issue 17, items 1, 2 and 6: the server's HTTPS API as a user sets it up and CI uses it.
// The built CLI against a real sshd + agent + Caddy, with a certificate from Pebble (Let's
// Encrypt's test CA; its mock DNS answers 127.0.0.1 for every name): `servers api enable`,
// `keys create`, then requests over HTTPS trusting ONLY Pebble's root, as curl in a CI
// job would make them. Nothing is mocked. `npm run build` first.
import assert from "node:assert/strict";
import { cp, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, test } from "vitest";
import { repoRoot, runCli } from "../helpers/cli.js";
import { expectOk, startTlsTestServer, type TlsTestServer } from "./tls-server.js";

const DOMAIN = "api.example.test";

interface Answer {
	status: number;
	type: string;
	body: string;
	/** The body as JSON, or its NDJSON lines. */
	json: Record<string, unknown>;
	lines: Record<string, unknown>[];
}

describe("the platform API over HTTPS, with API keys (Caddy + Pebble)", () => {
	let server: TlsTestServer;
	let root: string;
	const keys = { read: "", deploy: "", write: "" };
	const cli = (args: string[]) => server.cli(args);

	/** One HTTPS request to the API's domain through the proxy, trusting only Pebble's root. */
	function api(method: "GET" | "POST", path: string, key?: string, body?: string | Buffer): Promise<Answer> {
		return new Promise((resolve, reject) => {
			const headers: Record<string, string> = { host: `${DOMAIN}:${server.httpsPort}` };
			if (key) headers.authorization = `Bearer ${key}`;
			if (body !== undefined) headers["content-type"] = "application/json";
			const req = request({ host: "127.0.0.1", port: server.httpsPort, servername: DOMAIN, path, method, headers, ca: root, agent: false, timeout: 60_000 }, (res) => {
				const chunks: Buffer[] = [];
				res.on("data", (chunk: Buffer) => chunks.push(chunk));
				res.on("end", () => {
					const text = Buffer.concat(chunks).toString("utf8");
					const lines = text.trim() ? text.trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>) : [];
					resolve({ status: res.statusCode ?? 0, type: String(res.headers["content-type"] ?? ""), body: text, json: lines.at(-1) ?? {}, lines });
				});
			});
			req.on("timeout", () => req.destroy(new Error("timed out")));
			req.on("error", reject);
			req.end(body);
		});
	}
	const call = (method: string, key: string, params: unknown) => api("POST", `/api/v1/${method}`, key, JSON.stringify(params));
	const errorOf = (answer: Answer) => (answer.json as { error: { code: string; message: string; hint?: string } }).error;
	const createKey = async (name: string, extra: string[]) => {
		const run = await cli(["keys", "create", name, "--team", "acme", ...extra, "--json"]);
		expectOk(run);
		return (run.last as { key: string }).key;
	};

	beforeAll(async () => {
		server = await startTlsTestServer("deploy-api-", "shop");
		root = await server.pebble.issuerRoot();
		expectOk(await cli(["--app", "blog", "--json"]));
		expectOk(await cli(["team", "create", "acme", "--apps", "shop,blog"]));
		keys.read = await createKey("ci-read", ["--scope", "read"]);
		keys.deploy = await createKey("ci-deploy", ["--scope", "deploy", "--apps", "shop", "--expires", "90d"]);
		keys.write = await createKey("ci-write", ["--scope", "write"]);
	});

	afterAll(async () => {
		await server?.stop();
	});

	test("`servers api enable` waits for the certificate and gives the https URL; GET /api/v1/apps with a key lists the apps", async () => {
		const run = await cli(["servers", "api", "enable", "prod", "--domain", DOMAIN, "--json"]);
		expectOk(run);
		const status = run.last as { enabled: boolean; url: string; certificate: string; port: number };
		assert.equal(status.enabled, true);
		assert.equal(status.certificate, "valid");
		assert.equal(status.url, `https://${DOMAIN}:${server.httpsPort}`);
		const apps = await api("GET", "/api/v1/apps", keys.read);
		assert.equal(apps.status, 200, apps.body);
		assert.match(apps.type, /^application\/json/);
		const listed = (apps.json as { result: { name: string; running: number }[] }).result;
		assert.deepEqual(
			listed.map((a) => a.name),
			["blog", "shop"],
		);
		assert.ok(listed.every((a) => a.running >= 1));
		const human = await cli(["servers", "api", "status", "prod"]);
		expectOk(human);
		assert.match(human.stdout, new RegExp(`answers at https://${DOMAIN.replace(/\./g, "\\.")}:${server.httpsPort}/api/v1`));
	});

	test("no key, a wrong key: 401 with the code and a hint; the OpenAPI document needs none", async () => {
		const none = await api("GET", "/api/v1/apps");
		assert.equal(none.status, 401);
		assert.equal(errorOf(none).code, "API_KEY_MISSING");
		assert.match(errorOf(none).hint ?? "", /Authorization: Bearer/);
		const wrong = await api("GET", "/api/v1/apps", `dp_${"A".repeat(43)}`);
		assert.equal(wrong.status, 401);
		assert.equal(errorOf(wrong).code, "API_KEY_INVALID");
		const doc = await api("GET", "/api/v1/openapi.json");
		assert.equal(doc.status, 200);
		assert.equal(doc.json.openapi, "3.1.0");
		assert.ok(Object.hasOwn(doc.json.paths as object, "/api/v1/deploy"));
	});

	test("each scope where it is allowed and refused: a read key cannot deploy or cancel, a deploy key cannot set env, a key for shop cannot see blog", async () => {
		const shop = (await api("GET", "/api/v1/apps", keys.read)).json as { result: { name: string; deploymentId: string }[] };
		const live = shop.result.find((a) => a.name === "shop")!.deploymentId;
		const redeploy = { specRef: { app: "shop", hash: "0".repeat(64) }, manifestDiff: { base: live, hash: "0".repeat(64), changed: [], removed: [] }, commit: null };

		const readDeploy = await call("deploy", keys.read, redeploy);
		assert.equal(readDeploy.status, 403, readDeploy.body);
		assert.equal(errorOf(readDeploy).code, "PERMISSION_DENIED");
		assert.match(errorOf(readDeploy).message, /ci-read has the scope read/);
		assert.equal((await call("cancel", keys.read, { app: "shop" })).status, 403);

		// Past the check, the deploy fails on its own (a spec the agent never had): not a refusal.
		const deployDeploy = await call("deploy", keys.deploy, redeploy);
		assert.notEqual(errorOf(deployDeploy)?.code, "PERMISSION_DENIED", deployDeploy.body);
		const cancel = await call("cancel", keys.deploy, { app: "shop" });
		assert.equal(cancel.status, 200, cancel.body);
		assert.deepEqual(cancel.json, { result: { cancelled: null } });

		const deployEnv = await call("env.change", keys.deploy, { app: "shop", set: { FROM_CI: "1" } });
		assert.equal(deployEnv.status, 403);
		assert.match(errorOf(deployEnv).message, /needs a key of scope write/);

		const blog = await api("GET", "/api/v1/apps/blog/deployments", keys.deploy);
		assert.equal(blog.status, 403);
		assert.match(errorOf(blog).message, /blog is not an app of your team/);
		const seen = (await api("GET", "/api/v1/apps", keys.deploy)).json as { result: { name: string }[] };
		assert.deepEqual(
			seen.result.map((a) => a.name),
			["shop"],
		);
		const deployments = (await api("GET", "/api/v1/deployments?limit=5", keys.deploy)).json as { result: { app: string }[] };
		assert.ok(deployments.result.length > 0 && deployments.result.every((d) => d.app === "shop"));

		// A write key sets env: the change streams as NDJSON, a new release goes live.
		const writeEnv = await call("env.change", keys.write, { app: "shop", set: { FROM_CI: "1" } });
		assert.equal(writeEnv.status, 200, writeEnv.body);
		assert.match(writeEnv.type, /^application\/x-ndjson/);
		assert.ok(writeEnv.lines.some((l) => "event" in l));
		assert.equal((writeEnv.json as { result: { deployment: { status: string } } }).result.deployment.status, "live", writeEnv.body);
		const env = await api("GET", "/api/v1/apps/shop/env", keys.read);
		assert.equal(env.status, 200, env.body);
		assert.match(env.body, /FROM_CI/);
		const logs = await api("GET", "/api/v1/apps/shop/logs?lines=5", keys.read);
		assert.equal(logs.status, 200, logs.body);
		assert.ok("result" in logs.json, logs.body);
	});

	test("bad input is a 400 with the code and nothing changes; too large is 413; SSH-only and unknown methods are refused", async () => {
		const before = (await api("GET", "/api/v1/apps/shop/deployments", keys.read)).body;
		const envBefore = (await api("GET", "/api/v1/apps/shop/env", keys.read)).body;
		const badParams = await call("env.change", keys.write, { app: "shop", set: "FROM_CI=2" });
		assert.equal(badParams.status, 400);
		assert.equal(errorOf(badParams).code, "INVALID_PARAMS");
		assert.match(errorOf(badParams).message, /set/);
		assert.match(errorOf(badParams).hint ?? "", /openapi\.json/);
		const badApp = await call("env.change", keys.write, { app: "Shop!", set: { A: "1" } });
		assert.equal(badApp.status, 400);
		const badJson = await api("POST", "/api/v1/env.change", keys.write, '{"app": "shop", "set": {');
		assert.equal(badJson.status, 400);
		assert.equal(errorOf(badJson).code, "BAD_JSON");
		const badQuery = await api("GET", "/api/v1/deployments?limit=many", keys.read);
		assert.equal(badQuery.status, 400);
		const huge = await api("POST", "/api/v1/env.change", keys.write, Buffer.alloc(17 * 1024 * 1024, 0x20));
		assert.equal(huge.status, 413);
		assert.equal(errorOf(huge).code, "BODY_TOO_LARGE");
		const setup = await call("setup", keys.write, {});
		assert.equal(setup.status, 403);
		assert.equal(errorOf(setup).code, "NOT_OVER_HTTP");
		const unknown = await call("no.such", keys.write, {});
		assert.equal(unknown.status, 404);
		assert.equal(errorOf(unknown).code, "UNKNOWN_METHOD");
		assert.equal((await api("GET", "/api/v1/apps/shop/deployments", keys.read)).body, before);
		assert.equal((await api("GET", "/api/v1/apps/shop/env", keys.read)).body, envBefore);
	});

	test("an expired key and a revoked key are refused at once (401); `keys ls` shows them without the key", async () => {
		const short = await createKey("ci-short", ["--scope", "read", "--expires", "1s"]);
		await sleep(1100);
		const expired = await api("GET", "/api/v1/apps", short);
		assert.equal(expired.status, 401);
		assert.equal(errorOf(expired).code, "API_KEY_EXPIRED");

		const doomed = await createKey("ci-doomed", ["--scope", "read"]);
		assert.equal((await api("GET", "/api/v1/apps", doomed)).status, 200);
		// A followed log would stream until the client leaves; the revocation ends it.
		const following = api("GET", "/api/v1/apps/shop/logs?follow=true&lines=1", doomed);
		await sleep(500);
		expectOk(await cli(["keys", "revoke", "ci-doomed"]));
		const ended = await following;
		assert.equal(ended.status, 200, ended.body);
		assert.equal(errorOf(ended)?.code, "API_KEY_REVOKED", ended.body);
		const revoked = await api("GET", "/api/v1/apps", doomed);
		assert.equal(revoked.status, 401);
		assert.equal(errorOf(revoked).code, "API_KEY_REVOKED");

		const ls = await cli(["keys", "ls", "--json"]);
		expectOk(ls);
		const listed = JSON.parse(ls.stdout) as { name: string; scope: string; apps: string[] | null; lastUsedAt: string | null; revokedAt: string | null }[];
		assert.deepEqual(
			listed.map((k) => k.name),
			["ci-read", "ci-deploy", "ci-write", "ci-short", "ci-doomed"],
		);
		assert.deepEqual(listed.find((k) => k.name === "ci-deploy")?.apps, ["shop"]);
		assert.ok(listed.find((k) => k.name === "ci-read")?.lastUsedAt);
		assert.ok(listed.find((k) => k.name === "ci-doomed")?.revokedAt);
		for (const key of Object.values(keys)) assert.ok(!ls.stdout.includes(key));
		const human = await cli(["keys", "ls"]);
		assert.match(human.stdout, /ci-doomed\s+acme\s+read\s+all\s+.*revoked/);
	});

	test("every key request is in the audit log by the key's name; no key is in clear in any file of the agent's home", async () => {
		const audit = (await readFile(join(server.sshd.agentHome, "audit.log"), "utf8")).trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
		const byKey = audit.filter((e) => e.key !== undefined);
		assert.ok(byKey.some((e) => e.key === "ci-read" && e.method === "ps" && e.result === "ok"), "a read is audited");
		assert.ok(byKey.some((e) => e.key === "ci-deploy" && e.method === "env.change" && e.result === "denied"));
		assert.ok(byKey.some((e) => e.key === "ci-write" && e.method === "env.change" && e.result === "ok"));
		assert.ok(byKey.every((e) => e.member === null && e.fingerprint === null));
		// A key is neither a member nor the server's owner: whoami says which key; the owner's own entries stay hidden from it.
		const who = (await api("GET", "/api/v1/whoami", keys.deploy)).json as { result: { member: null; key: { name: string; scope: string }; memberships: { role: string }[] } };
		assert.deepEqual([who.result.member, who.result.key, who.result.memberships.map((m) => m.role)], [null, { name: "ci-deploy", scope: "deploy" }, ["member"]]);
		const seen = (await api("GET", "/api/v1/audit", keys.write)).json as { result: { method: string; key?: string }[] };
		assert.ok(seen.result.some((e) => e.key === "ci-write"));
		assert.ok(!seen.result.some((e) => e.method === "team.create"), "the server owner's entries are not a key's to read");
		const human = await cli(["audit", "-n", "500"]);
		expectOk(human);
		assert.match(human.stdout, /key ci-read/);
		const files = await filesUnder(server.sshd.agentHome);
		assert.ok(files.length > 20, `searched ${files.length} files`);
		for (const file of files) {
			const text = await readFile(file, "latin1");
			for (const [name, key] of Object.entries(keys)) assert.ok(!text.includes(key.slice(3)), `the ${name} key is in clear in ${file}`);
		}
		assert.equal((await stat(join(server.sshd.agentHome, "api-keys.json"))).mode & 0o777, 0o600);
	});

	test("a daemon that restarts serves the API again, on its new port, without `enable`", async () => {
		const pid = Number(await readFile(join(server.sshd.agentHome, "agent.pid"), "utf8"));
		process.kill(pid, "SIGTERM");
		while (await alive(pid)) await sleep(50);
		// Any command starts the daemon again; the API comes back once its proxy is up.
		expectOk(await cli(["ps", "--json"]));
		let answer = await api("GET", "/api/v1/apps", keys.read).catch(() => null);
		for (let i = 0; i < 120 && answer?.status !== 200; i++) {
			await sleep(250);
			answer = await api("GET", "/api/v1/apps", keys.read).catch(() => null);
		}
		assert.equal(answer?.status, 200, answer?.body);
		const newPid = Number(await readFile(join(server.sshd.agentHome, "agent.pid"), "utf8"));
		assert.notEqual(newPid, pid);
	});

	test("`deploy --api` with only DEPLOY_TOKEN (no server added, no SSH key): live; a second deploy sends only the changed file", async () => {
		const ci = await mkdtemp(join(tmpdir(), "deploy-api-ci-"));
		try {
			const appDir = join(ci, "app");
			await cp(join(repoRoot, "examples", "hello"), appDir, { recursive: true });
			await writeFile(join(appDir, "deploy.yaml"), "app: shop\n");
			const rootFile = join(ci, "pebble-root.pem");
			await writeFile(rootFile, root);
			// A CI machine: an empty home (no ~/.ssh), an empty deploy store; it trusts Pebble's root and asks Pebble's DNS for the name.
			const env = { HOME: ci, DEPLOY_HOME: join(ci, "deploy-home"), NODE_EXTRA_CA_CERTS: rootFile, DEPLOY_DNS_SERVERS: server.pebble.dnsServer, DEPLOY_TOKEN: keys.deploy };
			const apiUrl = `https://${DOMAIN}:${server.httpsPort}`;
			const first = await runCli(["--api", apiUrl, "--json"], { cwd: appDir, env });
			expectOk(first);
			const live = first.last as { type: string; app: string; status: string; id: string; server: string };
			assert.deepEqual([live.type, live.app, live.status, live.server], ["result", "shop", "live", `${DOMAIN}:${server.httpsPort}`]);
			assert.ok(first.lines.some((l) => l.type === "step"), "the events streamed back");

			await writeFile(join(appDir, "version.txt"), "ci build 2\n");
			const second = await runCli(["--api", apiUrl, "--json"], { cwd: appDir, env });
			expectOk(second);
			const again = second.last as { id: string; status: string; upload: { objectsSent: number } };
			assert.equal(again.status, "live");
			assert.notEqual(again.id, live.id);
			assert.equal(again.upload.objectsSent, 1, second.stdout);
			const newest = (await api("GET", "/api/v1/apps/shop/deployments?limit=1", keys.read)).json as { result: { id: string; status: string }[] };
			assert.deepEqual(newest.result.map((d) => [d.id, d.status]), [[again.id, "live"]]);

			const noToken = await runCli(["--api", apiUrl, "--json"], { cwd: appDir, env: { ...env, DEPLOY_TOKEN: "" } });
			assert.equal(noToken.code, 2, noToken.stdout + noToken.stderr);
			assert.match((noToken.last as { error: { message: string } }).error.message, /DEPLOY_TOKEN/);
			const readOnly = await runCli(["--api", apiUrl, "--json"], { cwd: appDir, env: { ...env, DEPLOY_TOKEN: keys.read } });
			assert.equal(readOnly.code, 1, readOnly.stdout + readOnly.stderr);
			assert.equal((readOnly.last as { error: { code: string } }).error.code, "PERMISSION_DENIED");
		} finally {
			await rm(ci, { recursive: true, force: true });
		}
	});

	test("`servers api disable`: the domain no longer reaches the API", async () => {
		const run = await cli(["servers", "api", "disable", "prod", "--json"]);
		expectOk(run);
		assert.equal((run.last as { enabled: boolean }).enabled, false);
		const after = await api("GET", "/api/v1/apps", keys.read).catch((error: Error) => error);
		assert.ok(after instanceof Error || after.status === 404, after instanceof Error ? after.message : after.body);
	});

	test("a domain an app answers on is refused (HOST_IN_USE, exit 1), a bad one is exit 2; the API stays off", async () => {
		const taken = await cli(["servers", "api", "enable", "prod", "--domain", "shop.127.0.0.1.sslip.io", "--json"]);
		assert.equal(taken.code, 1, taken.stdout + taken.stderr);
		assert.equal((taken.last as { error: { code: string } }).error.code, "HOST_IN_USE");
		const bad = await cli(["servers", "api", "enable", "prod", "--domain", "not a domain", "--json"]);
		assert.equal(bad.code, 2, bad.stdout + bad.stderr);
		assert.equal((bad.last as { error: { code: string } }).error.code, "BAD_ARGUMENT");
		const status = await cli(["servers", "api", "status", "prod", "--json"]);
		expectOk(status);
		assert.deepEqual(status.last, { enabled: false, domain: null, url: null, port: null, dashboard: null });
		const shop = await cli(["ps", "--app", "shop", "--json"]);
		expectOk(shop);
	});
});

async function alive(pid: number): Promise<boolean> {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

/** Every regular file below `dir` (sockets and other special files left out). */
async function filesUnder(dir: string): Promise<string[]> {
	const found: string[] = [];
	for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
		if (entry.isFile()) found.push(join(entry.parentPath, entry.name));
	}
	return found;
}
