// Issue 17, item 3: a teammate's login to the server's HTTPS API, as a user sets it up
// and a browser (here node:https, trusting only Pebble's root) uses it. The built CLI
// against a real sshd + agent + Caddy with a certificate from Pebble: `team add --email`
// prints the invite link, the invite sets the password, the member logs in, reads and is
// refused as their role says, refreshes with the cookie, logs out. Nothing is mocked.
// `npm run build` first.
import assert from "node:assert/strict";
import { readdir, readFile } from "node:fs/promises";
import { request } from "node:https";
import { join } from "node:path";
import { afterAll, beforeAll, describe, test } from "vitest";
import { expectOk, startTlsTestServer, type TlsTestServer } from "./tls-server.js";

const DOMAIN = "deploy.example.test";
const PASSWORD = "a long enough passphrase";

interface Answer {
	status: number;
	json: { result?: Record<string, unknown> & { accessToken?: string }; error?: { code: string; message: string; hint?: string } };
	/** The refresh token the answer set (deploy_refresh=…), or null. */
	cookie: string | null;
	setCookie: string;
}

describe("a team member's login to the platform API over HTTPS (Caddy + Pebble)", () => {
	let server: TlsTestServer;
	let root: string;
	let inviteUrl = "";
	let accessToken = "";
	let refreshToken = "";
	const cli = (args: string[]) => server.cli(args);

	/** One HTTPS request to the API's domain through the proxy, as the dashboard's page makes it. */
	function api(method: "GET" | "POST", path: string, options: { token?: string; cookie?: string; body?: unknown; deployHeader?: boolean } = {}): Promise<Answer> {
		return new Promise((resolve, reject) => {
			const headers: Record<string, string> = { host: `${DOMAIN}:${server.httpsPort}` };
			if (options.token) headers.authorization = `Bearer ${options.token}`;
			if (options.cookie) headers.cookie = `deploy_refresh=${options.cookie}`;
			if (options.deployHeader) headers["x-deploy-request"] = "1";
			if (options.body !== undefined) headers["content-type"] = "application/json";
			const req = request({ host: "127.0.0.1", port: server.httpsPort, servername: DOMAIN, path, method, headers, ca: root, agent: false, timeout: 60_000 }, (res) => {
				const chunks: Buffer[] = [];
				res.on("data", (chunk: Buffer) => chunks.push(chunk));
				res.on("end", () => {
					const setCookie = res.headers["set-cookie"]?.[0] ?? "";
					// A stream (NDJSON) ends with its result or error: the last line is the answer.
					const last = Buffer.concat(chunks).toString("utf8").trim().split("\n").at(-1) ?? "{}";
					resolve({ status: res.statusCode ?? 0, json: JSON.parse(last) as Answer["json"], cookie: setCookie.match(/^deploy_refresh=([^;]+)/)?.[1] ?? null, setCookie });
				});
			});
			req.on("timeout", () => req.destroy(new Error("timed out")));
			req.on("error", reject);
			req.end(options.body === undefined ? undefined : JSON.stringify(options.body));
		});
	}

	beforeAll(async () => {
		server = await startTlsTestServer("deploy-logins-", "shop");
		root = await server.pebble.issuerRoot();
		// blog stays the default team's: carol's team has shop only.
		expectOk(await cli(["--app", "blog", "--json"]));
		expectOk(await cli(["team", "create", "acme", "--apps", "shop"]));
	});

	afterAll(async () => {
		await server?.stop();
	});

	test("with the API off, `team add --email` prints the invite token and what makes the link work; bad input changes nothing", async () => {
		const off = await cli(["team", "add", "dave", "--email", "dave@example.com", "--team", "acme"]);
		expectOk(off);
		assert.match(off.stdout, /invite token \(shown only now\): dpi_[A-Za-z0-9_-]{43}/);
		assert.match(off.stdout, /works once `deploy servers api enable <server> --domain <domain>` has run/);
		const neither = await cli(["team", "add", "erin", "--team", "acme"]);
		assert.equal(neither.code, 1);
		assert.match(neither.stderr, /KEY_REQUIRED|public key or their email/);
		assert.match(neither.stderr, /--email/);
		const taken = await cli(["team", "add", "erin", "--email", "DAVE@example.com", "--team", "acme"]);
		assert.equal(taken.code, 1);
		assert.match(taken.stderr, /dave@example\.com is the login of another member/);
		const malformed = await cli(["team", "add", "erin", "--email", "not-an-address", "--team", "acme"]);
		assert.equal(malformed.code, 2, "bad input, refused before the server is asked");
		assert.match(malformed.stderr, /email address/);
		const listed = await cli(["team", "ls", "--json"]);
		assert.ok(!listed.stdout.includes("erin"), "no erin was added");
		expectOk(await cli(["servers", "api", "enable", "prod", "--domain", DOMAIN, "--json"]));
	});

	test("`team add carol --email … --role member` prints a one-time invite link with the token in the fragment; `team invite` replaces it", async () => {
		const human = await cli(["team", "add", "carol", "--email", "carol@example.com", "--role", "member", "--team", "acme"]);
		expectOk(human);
		const link = human.stdout.match(/https:\/\/\S+\/invite#dpi_[A-Za-z0-9_-]{43}/)?.[0];
		assert.ok(link, human.stdout);
		assert.equal(new URL(link).host, `${DOMAIN}:${server.httpsPort}`);
		assert.match(human.stdout, /no SSH key/);

		const again = await cli(["team", "invite", "carol", "--json"]);
		expectOk(again);
		const made = again.last as { email: string; invite: { token: string; url: string; expiresAt: string } };
		assert.equal(made.email, "carol@example.com");
		assert.equal(made.invite.url, `https://${DOMAIN}:${server.httpsPort}/invite#${made.invite.token}`);
		const hours = (Date.parse(made.invite.expiresAt) - Date.now()) / 3_600_000;
		assert.ok(hours > 71 && hours <= 72, `expires in ${hours} h`);
		const old = await api("POST", "/api/v1/auth/invite", { body: { token: new URL(link).hash.slice(1), password: PASSWORD } });
		assert.equal(old.status, 401);
		assert.equal(old.json.error?.code, "INVITE_INVALID");
		inviteUrl = made.invite.url;
		const listed = await cli(["team", "ls"]);
		assert.match(listed.stdout, /carol\s+member\s+all\s+no\s+-\s+carol@example\.com/);
	});

	test("the invite sets the password and logs in; then a login with email and password; the refresh cookie is HttpOnly, Secure, SameSite=Strict", async () => {
		const token = new URL(inviteUrl).hash.slice(1);
		const accepted = await api("POST", "/api/v1/auth/invite", { body: { token, password: PASSWORD } });
		assert.equal(accepted.status, 200, JSON.stringify(accepted.json));
		assert.deepEqual(accepted.json.result?.member, { id: "carol", name: "carol", email: "carol@example.com" });
		assert.equal((await api("POST", "/api/v1/auth/invite", { body: { token, password: PASSWORD } })).json.error?.code, "INVITE_INVALID", "it works once");

		const wrong = await api("POST", "/api/v1/auth/login", { body: { email: "carol@example.com", password: "not her password" } });
		assert.equal(wrong.status, 401);
		assert.equal(wrong.json.error?.code, "LOGIN_FAILED");
		const login = await api("POST", "/api/v1/auth/login", { body: { email: "carol@example.com", password: PASSWORD } });
		assert.equal(login.status, 200, JSON.stringify(login.json));
		assert.match(login.setCookie, /^deploy_refresh=[A-Za-z0-9_-]+; HttpOnly; Secure; SameSite=Strict; Path=\/api\/v1\/auth; Max-Age=2592000$/);
		accessToken = String(login.json.result?.accessToken);
		refreshToken = String(login.cookie);
		const session = await api("GET", "/api/v1/auth/session", { token: accessToken });
		assert.deepEqual((session.json.result as { memberships: { team: string; role: string }[] }).memberships.map((m) => [m.team, m.role]), [["acme", "member"]]);
	});

	test("as carol: GET apps lists her team's apps only; another team's app and a write her role forbids are refused", async () => {
		const apps = await api("GET", "/api/v1/apps", { token: accessToken });
		assert.equal(apps.status, 200, JSON.stringify(apps.json));
		assert.deepEqual(
			(apps.json.result as unknown as { name: string }[]).map((a) => a.name),
			["shop"],
		);
		const blog = await api("GET", "/api/v1/apps/blog/deployments", { token: accessToken });
		assert.equal(blog.status, 403);
		const env = await api("POST", "/api/v1/env.change", { token: accessToken, body: { app: "shop", set: { FROM_CAROL: "1" } } });
		assert.equal(env.status, 403);
		assert.equal(env.json.error?.code, "PERMISSION_DENIED");
		assert.match(env.json.error?.message ?? "", /needs the role admin; carol is member in team acme/);
		const listed = await cli(["env", "ls", "--json"]);
		assert.ok(!listed.stdout.includes("FROM_CAROL"), "nothing changed");
		const audit = (await readFile(join(server.sshd.agentHome, "audit.log"), "utf8")).trim().split("\n").map((l) => JSON.parse(l) as { member: string | null; method: string; result: string });
		assert.ok(audit.some((e) => e.member === "carol" && e.method === "env.change" && e.result === "denied"), "refused as the member carol");
		assert.ok(audit.some((e) => e.member === "carol" && e.method === "auth.login" && e.result === "ok"));
	});

	test("refresh with the cookie (and X-Deploy-Request) rotates it; logout ends it; a refresh after that is refused", async () => {
		const noHeader = await api("POST", "/api/v1/auth/refresh", { cookie: refreshToken });
		assert.equal(noHeader.status, 403);
		assert.equal(noHeader.json.error?.code, "REQUEST_HEADER_MISSING");
		const refreshed = await api("POST", "/api/v1/auth/refresh", { cookie: refreshToken, deployHeader: true });
		assert.equal(refreshed.status, 200, JSON.stringify(refreshed.json));
		assert.ok(refreshed.cookie && refreshed.cookie !== refreshToken);
		assert.equal((await api("GET", "/api/v1/apps", { token: String(refreshed.json.result?.accessToken) })).status, 200);

		const out = await api("POST", "/api/v1/auth/logout", { cookie: refreshed.cookie, deployHeader: true });
		assert.equal(out.status, 200);
		assert.match(out.setCookie, /^deploy_refresh=; .*Max-Age=0$/);
		const after = await api("POST", "/api/v1/auth/refresh", { cookie: refreshed.cookie, deployHeader: true });
		assert.equal(after.status, 401);
		assert.equal(after.json.error?.code, "SESSION_ENDED");
		assert.equal((await api("GET", "/api/v1/apps", { token: String(refreshed.json.result?.accessToken) })).status, 401, "its access token ends with it");
	});

	test("`team rm carol` ends her followed log at once; her tokens and password stop working", async () => {
		const login = await api("POST", "/api/v1/auth/login", { body: { email: "carol@example.com", password: PASSWORD } });
		assert.equal(login.status, 200);
		const token = String(login.json.result?.accessToken);
		const following = api("GET", "/api/v1/apps/shop/logs?follow=true&lines=1", { token });
		await new Promise((resolve) => setTimeout(resolve, 500));
		expectOk(await cli(["team", "rm", "carol"]));
		const ended = await following;
		assert.equal(ended.json.error?.code, "TOKEN_REVOKED", JSON.stringify(ended.json));
		const after = await api("GET", "/api/v1/apps", { token });
		assert.equal(after.status, 401);
		assert.equal(after.json.error?.code, "TOKEN_REVOKED");
		assert.equal((await api("POST", "/api/v1/auth/refresh", { cookie: String(login.cookie), deployHeader: true })).status, 401);
		assert.equal((await api("POST", "/api/v1/auth/login", { body: { email: "carol@example.com", password: PASSWORD } })).json.error?.code, "LOGIN_FAILED");
	});

	test("no password or token is in clear in the agent's files or the proxy's logs", async () => {
		const files = (await readdir(server.sshd.agentHome, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
		assert.ok(files.some((f) => f.endsWith(join("auth", "logins.json"))));
		const accessLogs = files.filter((f) => f.endsWith("access.log"));
		assert.ok((await Promise.all(accessLogs.map((f) => readFile(f, "utf8")))).some((text) => text.includes("/api/v1/auth/login")), "the proxy logged the logins: its log is searched too");
		const secrets = [PASSWORD, new URL(inviteUrl).hash.slice(1), refreshToken, accessToken.split(".")[2]!];
		for (const file of files) {
			const text = await readFile(file, "latin1");
			for (const secret of secrets) assert.ok(!text.includes(secret), `a secret is in clear in ${file}`);
		}
	});
});
