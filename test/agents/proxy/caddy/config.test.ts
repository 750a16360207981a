import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import { join } from "node:path";
import { afterAll, beforeAll, describe, test } from "vitest";
import { setTimeout as sleep } from "node:timers/promises";
import { execa } from "execa";
import { withAccessLog } from "../../../../agents/proxy/caddy/access-log.js";
import { renderCaddyConfig } from "../../../../agents/proxy/caddy/config.js";
import { createProxyDriver, type ProxyDriver } from "../../../../agents/proxy/index.js";
import { freePort, getVia, isRunning, listen, startUpstream, tempDir, type Upstream } from "../../../helpers/proxy.js";

describe("caddy: rendered configuration", () => {
	test("one route renders to a host match, a round-robin reverse proxy and a 404 fallback", () => {
		const setup = { proxy: "caddy" as const, httpPort: 80, httpsPort: 443, address: "203.0.113.7" };
		const route = { app: "hello", hosts: ["hello.203.0.113.7.sslip.io"], upstreams: [{ host: "127.0.0.1" as const, port: 4101 }, { host: "::1" as const, port: 4102 }] };
		// Issue 7's access logs wrap every config (their own tests check them).
		assert.deepEqual(renderCaddyConfig(setup, "/var/lib/deploy/proxy", [route]), withAccessLog("/var/lib/deploy/proxy", {
			admin: { listen: "unix//var/lib/deploy/proxy/caddy-admin.sock", origins: ["caddy-admin"], config: { persist: false } },
			storage: { module: "file_system", root: "/var/lib/deploy/proxy/data" },
			apps: {
				http: {
					http_port: 80,
					https_port: 443,
					servers: {
						deploy: {
							listen: [":80"],
							automatic_https: { disable: true },
							routes: [
								{
									"@id": "app-hello",
									match: [{ host: ["hello.203.0.113.7.sslip.io"] }],
									handle: [
										{
											handler: "reverse_proxy",
											upstreams: [{ dial: "127.0.0.1:4101" }, { dial: "[::1]:4102" }],
											// A refused dial is tried again, on the next instance, for up to 5 s.
											load_balancing: { selection_policy: { policy: "round_robin" }, try_duration: "5000ms", try_interval: "250ms" },
										},
									],
									terminal: true,
								},
								{
									handle: [
										{
											handler: "static_response",
											status_code: 404,
											headers: { "Content-Type": ["text/plain; charset=utf-8"] },
											body: "No app is deployed at this address.\n",
										},
									],
								},
							],
						},
					},
				},
			},
		}));
	});
});

describe("caddy: live", () => {
	let dir: Awaited<ReturnType<typeof tempDir>>;
	let app: Upstream;
	let port: number;
	const started: ProxyDriver[] = [];
	const newDriver = (httpPort: number, address = "127.0.0.1") => {
		const driver = createProxyDriver("caddy", { setup: { proxy: "caddy", httpPort, httpsPort: 443, address }, dir: join(dir.path, "proxy"), log: () => {} });
		started.push(driver);
		return driver;
	};

	beforeAll(async () => {
		dir = await tempDir("proxy-caddy-");
		app = await startUpstream("hello from the app");
		port = await freePort();
	});
	afterAll(async () => {
		for (const driver of started) await driver.stop();
		await app.close();
		await dir.remove();
	});

	test("a request with a deploy-style sslip.io Host reaches the app", async () => {
		const driver = newDriver(port);
		const { version } = await driver.ensureRunning();
		assert.match(version ?? "", /^v?2\./);
		assert.equal(driver.defaultHost("hello"), "hello.127.0.0.1.sslip.io");
		assert.equal(driver.defaultUrl("hello"), `http://hello.127.0.0.1.sslip.io:${port}`);
		await driver.applyRoute({ app: "hello", hosts: ["hello.127.0.0.1.sslip.io"], upstreams: [{ host: "127.0.0.1", port: app.port }] });
		assert.deepEqual(await getVia(port, "hello.127.0.0.1.sslip.io"), { status: 200, body: "hello from the app" });
		assert.deepEqual(await getVia(port, `hello.127.0.0.1.sslip.io:${port}`), { status: 200, body: "hello from the app" });
	});

	test("an instance that starts listening a second late still gets the request: 200, not 502", async () => {
		const latePort = await freePort();
		await started[0]!.applyRoute({ app: "late", hosts: ["late.127.0.0.1.sslip.io"], upstreams: [{ host: "127.0.0.1", port: latePort }] });
		// Sent before anything listens, as right after a reboot or a crash restart.
		const answer = getVia(port, "late.127.0.0.1.sslip.io");
		await sleep(1000);
		const late = await listenLate(latePort, "up now");
		try {
			assert.deepEqual(await answer, { status: 200, body: "up now" });
		} finally {
			await late.close();
		}
	});

	test("caddy.json, kept for restarts, is a config Caddy itself accepts", async () => {
		await execa("caddy", ["validate", "--config", join(dir.path, "proxy", "caddy.json")]);
	});

	test("stop ends the Caddy process and frees the port", async () => {
		const pid = Number(await readFile(join(dir.path, "proxy", "caddy.pid"), "utf8"));
		assert.equal(isRunning(pid), true);
		await started[0]!.stop();
		assert.equal(isRunning(pid), false);
		await assert.rejects(getVia(port, "hello.127.0.0.1.sslip.io"), /ECONNREFUSED/);
	});

	test("a port already in use gives PROXY_UNAVAILABLE with Caddy's log lines", async () => {
		const squatter = createServer();
		const taken = await listen(squatter, 0);
		try {
			await assert.rejects(newDriver(taken).ensureRunning(), (error: Error & { code?: string; details?: string[] }) => {
				assert.equal(error.code, "PROXY_UNAVAILABLE");
				assert.match((error.details ?? []).join("\n"), /address already in use/);
				return true;
			});
		} finally {
			squatter.close();
		}
	});

	test("without caddy on PATH: PROXY_UNAVAILABLE with an install hint", async () => {
		const savedPath = process.env.PATH;
		process.env.PATH = "/nonexistent";
		try {
			await assert.rejects(newDriver(port).ensureRunning(), (error: Error & { code?: string; hint?: string }) => {
				assert.equal(error.code, "PROXY_UNAVAILABLE");
				assert.match(error.hint ?? "", /deploy servers upgrade/);
				return true;
			});
		} finally {
			process.env.PATH = savedPath;
		}
	});

	test("the default URL leaves out the default port: https on 80/443 (the sslip.io host gets a certificate there), http with --no-tls", () => {
		assert.equal(newDriver(80, "203.0.113.7").defaultUrl("hello"), "https://hello.203.0.113.7.sslip.io");
		const plain = createProxyDriver("caddy", { setup: { proxy: "caddy", httpPort: 80, httpsPort: 443, address: "203.0.113.7", tls: false }, dir: join(dir.path, "plain"), log: () => {} });
		assert.equal(plain.defaultUrl("hello"), "http://hello.203.0.113.7.sslip.io");
	});
});

/** An app instance that answers `body` on a port chosen before it listened. */
async function listenLate(port: number, body: string): Promise<{ close(): Promise<void> }> {
	const server = createServer((_req, res) => res.end(body));
	await listen(server, port);
	return {
		close: () =>
			new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			}),
	};
}
