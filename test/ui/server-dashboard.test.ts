// Issue 17, item 4: the dashboard served by the server's HTTPS API, as a teammate opens it.
// The built CLI against a real sshd + agent + Caddy with a certificate from Pebble
// (tls-server.ts): `servers api enable` ships the renderer build, the agent's listener
// serves it behind Caddy, and Debian's Chromium opens it over HTTPS trusting Pebble's
// root (a throwaway NSS database: no certificate error is ignored) with the domain
// mapped to 127.0.0.1. Nothing is mocked. Two visitors: one with an API key of scope
// `read` (which the API takes as the bearer a login gives), and carol, a member invited
// by email, from her invite link through the login endpoints (issue 17, item 3) to
// "sign out everywhere". `npm run build` first.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, test } from "vitest";
import { repoRoot, runCli } from "../helpers/cli.js";
import { httpGet } from "../helpers/net.js";
import { expectOk, startTlsTestServer, type TlsTestServer } from "../e2e/tls-server.js";
import { type Browser, LONG, launchBrowser, openView, screenshot } from "./harness.js";

const DOMAIN = "dash.example.test";

interface Answer {
	status: number;
	headers: Record<string, string | string[] | undefined>;
	body: string;
}

interface Shipment {
	files: number;
	objectsSent: number;
	bytesSent: number;
	installed: boolean;
}

describe("the dashboard from the server (Caddy + Pebble, Chromium)", () => {
	let server: TlsTestServer;
	let root: string;
	let readKey = "";
	let browser: Browser;
	let browserHome: string;
	let origin: string;
	const shipments: Shipment[] = [];
	const cli = (args: string[]) => server.cli(args);

	/** One HTTPS request through the proxy to `host`, trusting only Pebble's root; the path is sent as written. */
	function get(host: string, path: string, headers: Record<string, string> = {}, method = "GET"): Promise<Answer> {
		return new Promise((resolve, reject) => {
			const req = request(
				{ host: "127.0.0.1", port: server.httpsPort, servername: host, path, method, headers: { host: `${host}:${server.httpsPort}`, ...headers }, ca: root, agent: false, timeout: 60_000 },
				(res) => {
					const chunks: Buffer[] = [];
					res.on("data", (chunk: Buffer) => chunks.push(chunk));
					res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
				},
			);
			req.on("timeout", () => req.destroy(new Error("timed out")));
			req.on("error", reject);
			req.end();
		});
	}

	const enable = async () => {
		const run = await cli(["servers", "api", "enable", "prod", "--domain", DOMAIN, "--json"]);
		expectOk(run);
		return run.last as { url: string; dashboard: string | null; dashboardUpload: Shipment };
	};

	beforeAll(async () => {
		server = await startTlsTestServer("deploy-dash-", "shop");
		root = await server.pebble.issuerRoot();
		// A secret: its release is the second of the history, one to roll back to.
		expectOk(await cli(["env", "set", "GREETING=hello-from-a-secret"]));
		expectOk(await cli(["team", "create", "acme", "--apps", "shop"]));
		const key = await cli(["keys", "create", "teammate", "--team", "acme", "--scope", "read", "--json"]);
		expectOk(key);
		readKey = (key.last as { key: string }).key;
		origin = `https://${DOMAIN}:${server.httpsPort}`;
		// Chromium on Linux trusts what $HOME/.pki/nssdb trusts: Pebble's root, for this browser only.
		browserHome = await mkdtemp(join(tmpdir(), "deploy-dash-browser-"));
		const nssdb = join(browserHome, ".pki", "nssdb");
		await mkdir(nssdb, { recursive: true });
		await writeFile(join(browserHome, "pebble-root.pem"), root);
		await promisify(execFile)("certutil", ["-N", "-d", `sql:${nssdb}`, "--empty-password"]);
		await promisify(execFile)("certutil", ["-A", "-d", `sql:${nssdb}`, "-n", "pebble-test-root", "-t", "C,,", "-i", join(browserHome, "pebble-root.pem")]);
	}, LONG * 2);

	afterAll(async () => {
		await browser?.close();
		await server?.stop();
		if (browserHome) await rm(browserHome, { recursive: true, force: true });
	});

	test("`servers api enable` ships the build once: the second time no file travels", async () => {
		const first = await enable();
		shipments.push(first.dashboardUpload);
		assert.equal(first.dashboard, `${origin}/`);
		const built = await readdir(join(repoRoot, "dist/renderer"), { recursive: true, withFileTypes: true });
		const files = built.filter((entry) => entry.isFile()).length;
		assert.equal(first.dashboardUpload.files, files);
		assert.equal(first.dashboardUpload.objectsSent, files);
		assert.equal(first.dashboardUpload.installed, true);

		const second = await enable();
		shipments.push(second.dashboardUpload);
		assert.equal(second.dashboardUpload.objectsSent, 0);
		assert.equal(second.dashboardUpload.installed, false);
		assert.ok(second.dashboardUpload.bytesSent * 20 < first.dashboardUpload.bytesSent, `second ${second.dashboardUpload.bytesSent} B vs first ${first.dashboardUpload.bytesSent} B`);
		console.log(`dashboard upload: first ${first.dashboardUpload.bytesSent} B (${files} files), second ${second.dashboardUpload.bytesSent} B`);

		const status = await cli(["servers", "api", "status", "prod"]);
		expectOk(status);
		assert.match(status.stdout, new RegExp(`The dashboard: ${origin.replace(/\./g, "\\.")}/ `));
	});

	test("a changed build sends only its changed file, and the server serves the new one", async () => {
		// The same build with a changed index.html, as a newer install of the CLI would have.
		const newer = await mkdtemp(join(tmpdir(), "deploy-dash-build-"));
		try {
			await cp(join(repoRoot, "dist/renderer"), newer, { recursive: true });
			const page = await readFile(join(newer, "index.html"), "utf8");
			await writeFile(join(newer, "index.html"), page.replace("<title>", "<!-- newer build --><title>"));
			const run = await runCli(["servers", "api", "enable", "prod", "--domain", DOMAIN, "--json"], { cwd: server.appDir, env: { DEPLOY_HOME: server.home, DEPLOY_RENDERER_DIR: newer } });
			expectOk(run);
			const shipped = (run.last as { dashboardUpload: Shipment }).dashboardUpload;
			assert.equal(shipped.objectsSent, 1);
			assert.equal(shipped.installed, true);
			console.log(`dashboard upload, index.html changed: ${shipped.bytesSent} B`);
			assert.match((await get(DOMAIN, "/")).body, /<!-- newer build -->/);
		} finally {
			await rm(newer, { recursive: true, force: true });
		}
	});

	test("/ is the renderer marked as served by a server, with a strict CSP and no CORS header; assets are immutable", async () => {
		const page = await get(DOMAIN, "/", { origin: "https://evil.example" });
		assert.equal(page.status, 200);
		assert.match(String(page.headers["content-type"]), /^text\/html/);
		assert.match(page.body, /<meta name="deploy-mode" content="server">/);
		const csp = String(page.headers["content-security-policy"]);
		for (const directive of ["default-src 'none'", "script-src 'self'", "style-src 'self'", "connect-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"]) {
			assert.ok(csp.includes(directive), `${directive} in ${csp}`);
		}
		assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/);
		assert.equal(page.headers["cache-control"], "no-cache");
		assert.equal(page.headers["access-control-allow-origin"], undefined);
		assert.equal(page.headers["x-frame-options"], "DENY");

		const script = /src="\.?(\/assets\/[^"]+\.js)"/.exec(page.body)?.[1];
		assert.ok(script, page.body);
		const asset = await get(DOMAIN, script, { origin: "https://evil.example" });
		assert.equal(asset.status, 200);
		assert.match(String(asset.headers["content-type"]), /^text\/javascript|^application\/javascript/);
		assert.equal(asset.headers["cache-control"], "public, max-age=31536000, immutable");
		assert.equal(asset.headers["access-control-allow-origin"], undefined);

		// A client route of the single-page app is its page; a missing asset is not.
		const invite = await get(DOMAIN, "/invite");
		assert.equal(invite.status, 200);
		assert.match(invite.body, /deploy-mode/);
		assert.equal((await get(DOMAIN, "/assets/missing-12345678.js")).status, 404);
		assert.equal((await get(DOMAIN, "/", {}, "POST")).status, 405);
		// The API is still the API.
		assert.equal((await get(DOMAIN, "/api/v1/apps")).status, 401);
	});

	test("nothing outside the build can be read: traversal in every spelling is refused", async () => {
		// api.json and api-keys.json sit two folders above the build, in the agent's home.
		for (const path of ["/../../api.json", "/..%2f..%2fapi.json", "/%2e%2e/%2e%2e/api-keys.json", "/assets/..%2f..%2f..%2fapi-keys.json", "/..%5c..%5capi.json", "/%2e%2e%2f%2e%2e%2fagent.log", "/assets/%00.js"]) {
			const answer = await get(DOMAIN, path);
			assert.ok(answer.status === 404 || answer.status === 400 || (answer.status === 200 && /deploy-mode/.test(answer.body)), `${path}: ${answer.status} ${answer.body.slice(0, 200)}`);
			assert.doesNotMatch(answer.body, /"domain"|"hash"|sha256|api:/, path);
		}
	});

	test("a teammate signs in, sees the team's app, its deploy history and live log lines; admin actions are disabled with the reason", async () => {
		browser = await launchBrowser({ args: [`--host-resolver-rules=MAP ${DOMAIN} 127.0.0.1`], env: { HOME: browserHome } });
		const { page } = browser;
		await page.goto(`${origin}/`);
		await page.getByRole("heading", { name: `Sign in to ${DOMAIN}` }).waitFor({ timeout: LONG });
		await screenshot(page, "server-dashboard-sign-in");
		await page.getByRole("button", { name: "Use an API key instead" }).click();
		await page.getByLabel("API key").fill(readKey);
		await page.getByRole("button", { name: "Sign in", exact: true }).click();

		const card = page.getByRole("listitem", { name: "App shop" });
		await card.waitFor({ timeout: LONG });
		await card.getByText("live", { exact: true }).waitFor({ timeout: LONG });
		// One server's dashboard: no servers, terminal or team views, no folder to link, nothing to deploy from.
		const nav = page.getByRole("navigation", { name: "Views" });
		assert.deepEqual(await nav.getByRole("button").allTextContents(), ["Apps", "Overview", "Deployments", "Logs", "Instances", "Environment", "Domains"]);
		assert.equal(await page.getByRole("form", { name: "Link a folder" }).count(), 0);
		assert.equal(await card.getByRole("button", { name: "Deploy", exact: true }).count(), 0);
		await screenshot(page, "server-dashboard-apps");

		await openView(page, "Overview");
		await page.getByRole("heading", { name: "Overview" }).waitFor({ timeout: LONG });
		await page.getByText("live", { exact: true }).first().waitFor({ timeout: LONG });
		await screenshot(page, "server-dashboard-overview");

		await openView(page, "Deployments");
		const deployments = page.getByRole("listitem", { name: /^Deployment / });
		await deployments.nth(1).waitFor({ timeout: LONG });
		assert.equal(await deployments.count(), 2);
		await deployments.first().getByText("live", { exact: true }).waitFor({ timeout: LONG });
		// A read key is a member who changes nothing: rolling back is refused, and says why.
		const why = page.getByTestId("why-not").first();
		await why.waitFor({ timeout: LONG });
		assert.match((await why.textContent()) ?? "", /Roll back: needs \w+ in team acme/);
		assert.equal(await page.getByRole("button", { name: /^Deploy / }).count(), 0);
		await screenshot(page, "server-dashboard-deployments");

		await openView(page, "Environment");
		const set = page.getByRole("button", { name: "Set" });
		await set.waitFor({ timeout: LONG });
		assert.equal(await set.isDisabled(), true);
		assert.match((await set.getAttribute("title")) ?? "", /Needs admin in team acme/);
		// The secret's name is listed, its value masked, and revealing it is an admin's.
		const reveal = page.getByRole("button", { name: "Reveal GREETING" });
		assert.equal(await reveal.isDisabled(), true);
		assert.match((await reveal.getAttribute("title")) ?? "", /Needs admin in team acme/);
		assert.doesNotMatch((await page.locator("main").textContent()) ?? "", /hello-from-a-secret/);
		await screenshot(page, "server-dashboard-env");

		await openView(page, "Logs");
		await page.getByRole("button", { name: "Stop following" }).waitFor({ timeout: LONG });
		const domains = JSON.parse((await get(DOMAIN, "/api/v1/apps/shop/domains", { authorization: `Bearer ${readKey}` })).body) as { result: { defaultHost: string } };
		// The app's generated host answers over plain HTTP on this server (its URL on the Apps card says so).
		assert.equal((await httpGet(server.httpPort, domains.result.defaultHost, "/seen-from-the-dashboard")).status, 200);
		await page.getByRole("log", { name: "App output" }).locator("li", { hasText: "GET /seen-from-the-dashboard" }).waitFor({ timeout: LONG });
		await screenshot(page, "server-dashboard-logs");
		await page.getByRole("button", { name: "Dark mode" }).click();
		await screenshot(page, "server-dashboard-logs-dark");
		await page.getByRole("button", { name: "Light mode" }).click();

		await page.getByRole("button", { name: "Sign out" }).click();
		await page.getByRole("heading", { name: `Sign in to ${DOMAIN}` }).waitFor({ timeout: LONG });
		// The refresh asked at load is refused until someone signs in (its 401 is the browser's only complaint); no CSP violation, no script error.
		const problems = browser.problems.filter((problem) => !/Failed to load resource: the server responded with a status of 401/.test(problem));
		assert.deepEqual(problems, []);
	});

	test("carol, invited by email, sets her password from the link and is signed in; a reload keeps her in; sign out everywhere ends it", async () => {
		const PASSWORD = "correct horse battery staple";
		const added = await cli(["team", "add", "carol", "--email", "carol@example.com", "--role", "member", "--team", "acme"]);
		expectOk(added);
		const link = added.stdout.match(/https:\/\/\S+\/invite#dpi_[A-Za-z0-9_-]{43}/)?.[0];
		assert.ok(link, added.stdout);
		const { page } = browser;
		await page.goto(link);
		await page.getByRole("heading", { name: "Set your password" }).waitFor({ timeout: LONG });
		await screenshot(page, "server-dashboard-invite");
		await page.getByLabel("New password").fill(PASSWORD);
		await page.getByLabel("The same again").fill(PASSWORD);
		await page.getByRole("button", { name: "Set password and sign in" }).click();
		await page.getByTestId("signed-in-as").getByText("carol (carol@example.com)").waitFor({ timeout: LONG });
		// The spent token is gone from the address bar.
		assert.equal(new URL(page.url()).hash, "");
		await page.getByRole("listitem", { name: "App shop" }).waitFor({ timeout: LONG });

		// A reload has no token in memory: the HttpOnly refresh cookie gets a new one.
		await page.reload();
		await page.getByTestId("signed-in-as").getByText("carol (carol@example.com)").waitFor({ timeout: LONG });
		await openView(page, "Environment");
		const set = page.getByRole("button", { name: "Set" });
		await set.waitFor({ timeout: LONG });
		assert.equal(await set.isDisabled(), true);
		assert.match((await set.getAttribute("title")) ?? "", /Needs admin in team acme \(you are member\)/);
		await screenshot(page, "server-dashboard-member");

		// Signed out: a wrong password is refused with the server's code; the right one signs in.
		await page.getByRole("button", { name: "Sign out", exact: true }).click();
		await page.getByRole("heading", { name: `Sign in to ${DOMAIN}` }).waitFor({ timeout: LONG });
		await page.getByLabel("Email").fill("carol@example.com");
		await page.getByLabel("Password").fill("not her password");
		await page.getByRole("button", { name: "Sign in", exact: true }).click();
		await page.getByText("LOGIN_FAILED").waitFor({ timeout: LONG });
		await page.getByLabel("Password").fill(PASSWORD);
		await page.getByRole("button", { name: "Sign in", exact: true }).click();
		await page.getByTestId("signed-in-as").getByText("carol (carol@example.com)").waitFor({ timeout: LONG });

		// Everywhere: the refresh cookie's family is revoked, so a reload finds no session.
		await page.getByRole("button", { name: "Sign out everywhere" }).click();
		await page.getByRole("heading", { name: `Sign in to ${DOMAIN}` }).waitFor({ timeout: LONG });
		await page.reload();
		await page.getByRole("heading", { name: `Sign in to ${DOMAIN}` }).waitFor({ timeout: LONG });
		// Refused sign-ins and refreshes are the browser's only complaints (401s); no CSP violation, no script error.
		assert.deepEqual(
			browser.problems.filter((problem) => !/Failed to load resource: the server responded with a status of 401/.test(problem)),
			[],
		);
	});
});
