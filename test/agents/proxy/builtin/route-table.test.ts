import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import { createServer, request } from "node:http";
import type { Socket } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, test } from "vitest";
import { buildRouteTable, hostOf } from "../../../../agents/proxy/builtin/route-table.js";
import { createProxyDriver, type ProxyDriver } from "../../../../agents/proxy/index.js";
import { freePort, listen, tempDir } from "../../../helpers/proxy.js";

describe("builtin: route table", () => {
	test("the Host header is matched without its port and case", () => {
		assert.equal(hostOf("Hello.localhost:8080"), "hello.localhost");
		assert.equal(hostOf("hello.localhost"), "hello.localhost");
		assert.equal(hostOf("hello.localhost."), "hello.localhost");
		assert.equal(hostOf("[::1]:8080"), "::1");
		assert.equal(hostOf(undefined), "");
	});

	test("every host of a route points at the route's upstreams", () => {
		const upstreams = [{ host: "127.0.0.1", port: 5001 }];
		const table = buildRouteTable([{ app: "hello", hosts: ["hello.localhost", "hello.test"], upstreams }]);
		assert.deepEqual(
			[...table.byHost],
			[
				["hello.localhost", { app: "hello", upstreams }],
				["hello.test", { app: "hello", upstreams }],
			],
		);
	});
});

describe("builtin: live", () => {
	let dir: Awaited<ReturnType<typeof tempDir>>;
	let port: number;
	let driver: ProxyDriver;
	// An app that accepts WebSocket-style upgrades and echoes in upper case.
	const echo = createServer((_req, res) => res.end("plain"));
	const sockets = new Set<Socket>();
	echo.on("upgrade", (_req, socket: Socket) => {
		sockets.add(socket);
		socket.write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n");
		socket.on("data", (data) => socket.write(data.toString().toUpperCase()));
	});
	const newDriver = (httpPort: number) =>
		createProxyDriver("builtin", { setup: { proxy: "builtin", httpPort, httpsPort: 443, address: "127.0.0.1" }, dir: join(dir.path, "proxy"), log: () => {} });

	beforeAll(async () => {
		dir = await tempDir("proxy-builtin-");
		port = await freePort();
		driver = newDriver(port);
		await driver.ensureRunning();
		await driver.applyRoute({ app: "echo", hosts: [driver.defaultHost("echo")], upstreams: [{ host: "127.0.0.1", port: await listen(echo, 0) }] });
	});
	afterAll(async () => {
		await driver.stop();
		for (const socket of sockets) socket.destroy();
		echo.close();
		await dir.remove();
	});

	test("the default URL is <app>.localhost on the preview port", () => {
		assert.equal(driver.defaultHost("echo"), "echo.localhost");
		assert.equal(driver.defaultUrl("echo"), `http://echo.localhost:${port}`);
	});

	test("routes are stored in builtin-routes.json", async () => {
		const stored = JSON.parse(await readFile(join(dir.path, "proxy", "builtin-routes.json"), "utf8"));
		assert.equal(stored.version, 1);
		assert.deepEqual(
			stored.routes.map((r: { app: string; hosts: string[] }) => [r.app, r.hosts]),
			[["echo", ["echo.localhost"]]],
		);
	});

	test("a WebSocket upgrade passes through to the app", async () => {
		const reply = await new Promise<string>((resolve, reject) => {
			const req = request({ host: "127.0.0.1", port, headers: { host: `echo.localhost:${port}`, connection: "Upgrade", upgrade: "websocket" } });
			req.on("upgrade", (res, socket) => {
				assert.equal(res.statusCode, 101);
				socket.once("data", (data) => {
					resolve(data.toString());
					socket.destroy();
				});
				socket.write("ping");
			});
			req.on("error", reject);
			req.end();
		});
		assert.equal(reply, "PING");
	});

	test("a port already in use gives PROXY_UNAVAILABLE", async () => {
		await assert.rejects(newDriver(port).ensureRunning(), (error: Error & { code?: string; hint?: string }) => {
			assert.equal(error.code, "PROXY_UNAVAILABLE");
			assert.match(error.hint ?? "", new RegExp(`port ${port}`));
			return true;
		});
	});

	test("a corrupt route file fails loudly instead of serving nothing", async () => {
		const other = await tempDir("proxy-builtin-corrupt-");
		try {
			await writeFile(join(other.path, "builtin-routes.json"), "{ not json");
			const broken = createProxyDriver("builtin", {
				setup: { proxy: "builtin", httpPort: await freePort(), httpsPort: 443, address: "127.0.0.1" },
				dir: other.path,
				log: () => {},
			});
			await assert.rejects(broken.ensureRunning(), (error: Error & { code?: string }) => error.code === "PROXY_STATE_CORRUPT");
			await broken.stop();
		} finally {
			await other.remove();
		}
	});

	test("an invalid route is refused with its paths", async () => {
		await assert.rejects(
			driver.applyRoute({ app: "Bad App", hosts: ["x`y"], upstreams: [{ host: "10.0.0.1", port: 80 }] }),
			(error: Error & { code?: string; details?: string[] }) => {
				assert.equal(error.code, "INVALID_ROUTE");
				assert.deepEqual(
					(error.details ?? []).map((line) => line.split(":")[0]),
					["app", "hosts/0", "upstreams/0/host"],
				);
				return true;
			},
		);
	});
});
