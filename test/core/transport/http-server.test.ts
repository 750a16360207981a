// `deploy ui`'s HTTP api against the real server and the real api: DEPLOY_HOME in a
// temp dir, the preview agent on this machine, a real sshd for the host-key flow.
import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, test } from "vitest";
import { providers } from "../../../cli/providers.js";
import { apiMethodNames } from "../../../core/api/contract.js";
import { type Api, createApi } from "../../../core/api/index.js";
import { CONTENT_SECURITY_POLICY } from "../../../core/transport/http-security.js";
import { startUiServer, type UiServer } from "../../../core/transport/http-server.js";
import { type Sshd, startSshd, stopAgentHome } from "../../fixtures/sshd.js";
import { repoRoot } from "../../helpers/cli.js";
import { freePort, httpGet } from "../../helpers/net.js";
import { callApi, rawGet } from "../../helpers/http-client.js";

let home: string;
let staticDir: string;
let server: UiServer;
let base: string;
/** Settles when the server side of a logs.read call has ended: how a cancel is observed. */
let logsSettled: Promise<unknown> = Promise.resolve();

beforeAll(async () => {
	home = await mkdtemp(join(tmpdir(), "deploy-ui-home-"));
	process.env.DEPLOY_HOME = home;
	staticDir = await mkdtemp(join(tmpdir(), "deploy-ui-static-"));
	await mkdir(join(staticDir, "assets"));
	await writeFile(join(staticDir, "index.html"), '<!doctype html><script type="module" src="/assets/app.js"></script>\n');
	await writeFile(join(staticDir, "assets", "app.js"), "console.log('app');\n");
	await writeFile(join(home, "secret.txt"), "not for the browser\n");
	const api: Api = createApi(providers);
	const read = api.logs.read;
	api.logs.read = (input, options) => {
		const call = read(input, options);
		logsSettled = call.then(
			() => "ended",
			(error: unknown) => error,
		);
		return call;
	};
	server = await startUiServer({ api, staticDir });
	base = `http://127.0.0.1:${server.port}`;
});

afterAll(async () => {
	await server?.close();
	await stopAgentHome(join(home, "preview"));
	await rm(home, { recursive: true, force: true });
	await rm(staticDir, { recursive: true, force: true });
	delete process.env.DEPLOY_HOME;
});

describe("the rules", () => {
	test("a launch URL carries a one-time code in its fragment, never the 32-byte token", () => {
		assert.equal(Buffer.from(server.token, "base64url").length, 32);
		const { url } = server.launch();
		assert.match(url, new RegExp(`^http://127\\.0\\.0\\.1:${server.port}/#launch=[A-Za-z0-9_-]{43}$`));
		assert.ok(!url.includes(server.token));
		assert.notEqual(server.launch().url, url, "each launch URL has its own code");
	});

	test("a launch code buys the token once; a second use, a made-up code or a foreign page gets nothing", async () => {
		const link = server.launch();
		const code = new URL(link.url).hash.replace("#launch=", "");
		const redeem = (body: unknown, headers: Record<string, string> = {}) =>
			fetch(`${base}/api/launch`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });

		const foreign = await redeem({ code }, { origin: "http://evil.example" });
		assert.equal(foreign.status, 403);
		assert.ok(!(await foreign.text()).includes(server.token));

		const first = await redeem({ code });
		assert.equal(first.status, 200);
		assert.equal(first.headers.get("cache-control"), "no-store");
		assert.deepEqual(await first.json(), { result: { token: server.token } });
		await link.used;

		const second = await redeem({ code });
		assert.equal(second.status, 403);
		const refused = (await second.json()) as { error: { code: string; hint: string } };
		assert.equal(refused.error.code, "LAUNCH_CODE_USED");
		assert.match(refused.error.hint, /start it again/);

		assert.equal((await redeem({ code: "made-up" })).status, 403);
		assert.equal((await redeem({ token: code })).status, 400);
		assert.equal((await fetch(`${base}/api/launch?code=${server.launch().url.split("=")[1]}`)).status, 405);
	});

	test("the page is served with a strict Content-Security-Policy", async () => {
		const page = await fetch(`${base}/`);
		assert.equal(page.status, 200);
		assert.equal(page.headers.get("content-security-policy"), CONTENT_SECURITY_POLICY);
		assert.match(CONTENT_SECURITY_POLICY, /default-src 'self'/);
		assert.match(CONTENT_SECURITY_POLICY, /connect-src 'self'/);
		// No inline or eval'd script, no style attributes; only <style> elements may be
		// inline (xterm.js writes them; CSS can reach nothing outside this origin).
		assert.doesNotMatch(CONTENT_SECURITY_POLICY, /unsafe-eval/);
		assert.deepEqual(
			CONTENT_SECURITY_POLICY.split("; ").filter((directive) => directive.includes("unsafe-inline")),
			["style-src-elem 'self' 'unsafe-inline'"],
		);
		assert.match(CONTENT_SECURITY_POLICY, /script-src 'self';/);
		assert.match(CONTENT_SECURITY_POLICY, /style-src 'self';/);
		assert.match(await page.text(), /assets\/app\.js/);
		const script = await fetch(`${base}/assets/app.js`);
		assert.equal(script.headers.get("content-type"), "text/javascript; charset=utf-8");
		// A client-side route falls back to the app; a file outside the folder is never served.
		assert.equal((await fetch(`${base}/servers/prod`)).status, 200);
		assert.equal((await rawGet(server.port, "/..%2f..%2fsecret.txt", { host: `127.0.0.1:${server.port}` })).status, 404);
	});

	test("/api/ without a token is 401, with a wrong one 403", async () => {
		const none = await callApi(base, null, "servers.list");
		assert.equal(none.status, 401);
		assert.equal(none.body.error?.code, "UNAUTHORIZED");
		const wrong = await callApi(base, "x".repeat(43), "servers.list");
		assert.equal(wrong.status, 403);
		assert.equal(wrong.body.error?.code, "FORBIDDEN");
	});

	test("a Host other than 127.0.0.1 or localhost on this port is refused (DNS rebinding)", async () => {
		const rebound = await rawGet(server.port, "/", { host: `attacker.example:${server.port}` });
		assert.equal(rebound.status, 421);
		assert.doesNotMatch(rebound.body, /app\.js/);
		assert.equal((await rawGet(server.port, "/", { host: `localhost:${server.port}` })).status, 200);
	});

	test("an unknown method is 404, a bad input 400 with the path of the problem", async () => {
		const unknown = await callApi(base, server.token, "servers.format", {});
		assert.equal(unknown.status, 404);
		assert.equal(unknown.body.error?.code, "UNKNOWN_METHOD");
		// Object.prototype's keys are not methods either.
		assert.equal((await callApi(base, server.token, "constructor", {})).status, 404);
		const bad = await callApi(base, server.token, "servers.add", { name: "prod", destination: "me@127.0.0.1", port: "22" });
		assert.equal(bad.status, 400);
		assert.equal(bad.body.error?.code, "BAD_ARGUMENT");
		assert.match(bad.body.error?.message ?? "", /^servers\.add: port: /);
		const extra = await callApi(base, server.token, "projects.link", { dir: "/tmp", rm: true });
		assert.equal(extra.status, 400);
		assert.match(extra.body.error?.message ?? "", /rm/);
	});
});

describe("calls", () => {
	test("every method of the contract has a route (none answers 404)", async () => {
		for (const method of ["servers.add", "deployments.create", "projects.config", "projects.revealEnv"]) assert.ok(apiMethodNames.includes(method as never), method);
		for (const method of apiMethodNames) {
			// An input no schema accepts: the route exists and validates, and nothing runs.
			const answer = await callApi(base, server.token, method, 42);
			assert.equal(answer.status, 400, method);
			assert.equal(answer.body.error?.code, "BAD_ARGUMENT", method);
		}
	});

	test("servers.list answers JSON; a usage error is a 400 with code and hint", async () => {
		const list = await callApi(base, server.token, "servers.list");
		assert.deepEqual(list, { status: 200, contentType: "application/json; charset=utf-8", events: [], body: { result: [] } });
		const missing = await callApi(base, server.token, "servers.status", { name: "nope" });
		assert.equal(missing.status, 400);
		assert.equal(missing.body.error?.code, "SERVER_UNKNOWN");
		assert.ok(missing.body.error?.hint);
	});

	test("projects.link remembers examples/hello, and projects.list shows it", async () => {
		const dir = join(repoRoot, "examples/hello");
		const linked = await callApi(base, server.token, "projects.link", { dir });
		assert.equal(linked.status, 200);
		assert.deepEqual(linked.body.result, { name: "hello", dir, server: null });
		const list = await callApi(base, server.token, "projects.list", {});
		assert.deepEqual(list.body.result, [{ name: "hello", dir, server: null }]);
	});

	test("preview.create streams its events as NDJSON, then the result, and the app answers", async () => {
		const port = await freePort();
		const answer = await callApi(base, server.token, "preview.create", { dir: join(repoRoot, "examples/hello"), port });
		assert.equal(answer.status, 200);
		assert.equal(answer.contentType, "application/x-ndjson; charset=utf-8");
		assert.ok(answer.events.some((e) => e.type === "step" && e.step === "healthcheck" && e.status === "done"));
		const result = answer.body.result as { status: string; url: string; server: string };
		assert.ok(result, JSON.stringify(answer.body));
		assert.equal(result.status, "live");
		assert.equal(result.url, `http://hello.localhost:${port}`);
		assert.equal((await httpGet(port, "hello.localhost")).body, "Hello from Deploy Platform\n");
	});

	test("aborting the fetch cancels the call: a followed log stops on the server", async () => {
		const controller = new AbortController();
		const lines: string[] = [];
		const call = callApi(base, server.token, "logs.read", { app: "hello", server: "local", follow: true, lines: 10 }, {
			signal: controller.signal,
			onEvent: (event) => {
				if (event.type === "log") lines.push(event.line);
				controller.abort();
			},
		});
		await assert.rejects(call, { name: "AbortError" });
		assert.ok(lines.some((line) => /hello listening/.test(line)));
		// A follow never ends by itself: this settles only because the abort reached it.
		await logsSettled;
	});
});

describe("adding a server: the host key fingerprint in HOST_KEY_UNKNOWN", () => {
	let sshd: Sshd;
	beforeAll(async () => {
		sshd = await startSshd();
	});
	afterAll(async () => {
		await sshd?.stop();
	});

	test("HOST_KEY_UNKNOWN carries the fingerprint in details[0]; retrying with acceptNewHostKey adds it; status reports it", async () => {
		const input = {
			name: "prod",
			destination: `${sshd.user}@127.0.0.1`,
			port: sshd.port,
			identityFile: sshd.identityFile,
			proxy: "caddy",
			httpPort: await freePort(),
			httpsPort: await freePort(),
		};
		const refused = await callApi(base, server.token, "servers.add", input);
		assert.equal(refused.body.error?.code, "HOST_KEY_UNKNOWN");
		// What the UI shows before "Trust and add".
		assert.deepEqual(refused.body.error?.details, [sshd.hostKeyFingerprint]);

		const added = await callApi(base, server.token, "servers.add", { ...input, acceptNewHostKey: true });
		assert.equal((added.body.result as { hostKeyFingerprint: string }).hostKeyFingerprint, sshd.hostKeyFingerprint, JSON.stringify(added.body));
		assert.ok(added.events.some((e) => e.type === "step" && e.step === "proxy"));

		const status = await callApi(base, server.token, "servers.status", { name: "prod" });
		assert.equal(status.status, 200);
		const { health, ...reported } = status.body.result as { health?: { proxy: { running: boolean } | null } };
		assert.deepEqual({ ...reported, agentVersion: "x", node: "x" }, { name: "prod", reachable: true, agentVersion: "x", node: "x", proxy: "caddy" });
		assert.equal(health?.proxy?.running, true);

		await sshd.stop();
		const down = await callApi(base, server.token, "servers.status", { name: "prod" });
		const result = down.body.result as { reachable: boolean; error?: { code: string; message: string } };
		assert.equal(result.reachable, false);
		assert.ok(result.error?.code && result.error.message);
	});
});
