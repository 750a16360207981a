// Issue 13, item 4: going live changes the agent's DNS answer for the app, not Caddy's
// config, so Caddy's server is never restarted by a switch: a client's idle keep-alive
// connection stays open across it (a config load closes such connections, and a
// request sent on one at that instant is reset), and its next request already reaches
// the new instances. Changing hosts still loads a new config.
import assert from "node:assert/strict";
import { Agent, request } from "node:http";
import { join } from "node:path";
import { afterAll, beforeAll, describe, test } from "vitest";
import { setTimeout as sleep } from "node:timers/promises";
import { execa } from "execa";
import { adminRequest } from "../../../../agents/proxy/caddy/admin.js";
import { createProxyDriver, type ProxyDriver } from "../../../../agents/proxy/index.js";
import { freePort, getVia, startUpstream, tempDir, type Upstream } from "../../../helpers/proxy.js";

const host = "live.127.0.0.1.sslip.io";

/** A GET on the agent's one kept-alive socket: the body, and which local port the socket had. */
function getKeptAlive(agent: Agent, port: number): Promise<{ body: string; localPort: number }> {
	return new Promise((resolve, reject) => {
		const req = request({ host: "127.0.0.1", port, path: "/", headers: { host }, agent }, (res) => {
			let body = "";
			res.setEncoding("utf8");
			res.on("data", (chunk: string) => {
				body += chunk;
			});
			res.on("end", () => resolve({ body, localPort: req.socket?.localPort ?? 0 }));
		});
		req.on("error", reject);
		req.end();
	});
}

describe("caddy: a switch of instances restarts nothing", () => {
	let dir: Awaited<ReturnType<typeof tempDir>>;
	let driver: ProxyDriver;
	let port: number;
	const up: Upstream[] = [];
	const upstream = (u: Upstream) => ({ host: "127.0.0.1" as const, port: u.port });

	beforeAll(async () => {
		dir = await tempDir("proxy-caddy-switch-");
		port = await freePort();
		for (const name of ["v1", "v2", "v3"]) up.push(await startUpstream(name));
		driver = createProxyDriver("caddy", { setup: { proxy: "caddy", httpPort: port, httpsPort: 443, address: "127.0.0.1" }, dir: join(dir.path, "proxy"), log: () => {} });
		await driver.ensureRunning();
	});
	afterAll(async () => {
		await driver.stop();
		for (const u of up) await u.close();
		await dir.remove();
	});

	test("an idle keep-alive connection survives going live, and its next request gets the new release", async () => {
		await driver.applyRoute({ app: "live", hosts: [host], upstreams: [upstream(up[0]!)] });
		const agent = new Agent({ keepAlive: true, maxSockets: 1 });
		try {
			const first = await getKeptAlive(agent, port);
			assert.equal(first.body, "v1");
			// applyRoute resolves once Caddy routes new requests to the new instances.
			await driver.applyRoute({ app: "live", hosts: [host], upstreams: [upstream(up[1]!)] });
			const second = await getKeptAlive(agent, port);
			assert.deepEqual(second, { body: "v2", localPort: first.localPort }, "the same connection, the new release");
		} finally {
			agent.destroy();
		}
	});

	test("a rollback to earlier instances works the same way", async () => {
		await driver.applyRoute({ app: "live", hosts: [host], upstreams: [upstream(up[0]!), upstream(up[2]!)] });
		const bodies = new Set<string>();
		for (let i = 0; i < 4; i++) bodies.add((await getVia(port, host)).body);
		assert.deepEqual(bodies, new Set(["v1", "v3"]));
	});

	test("while the agent is gone, Caddy serves the instances of the last switch, not those of its last config load", async () => {
		// An agent process that loads a route to v1, switches it to v3 (no load: Caddy's
		// config still names v1), then dies without stopping anything (a crash). The
		// resolver is a process of its own, started with Caddy: it still says v3.
		const script = `
			import { createProxyDriver } from ${JSON.stringify(new URL("../../../../agents/proxy/index.ts", import.meta.url).pathname)};
			const driver = createProxyDriver("caddy", { setup: { proxy: "caddy", httpPort: ${port}, httpsPort: 443, address: "127.0.0.1" }, dir: ${JSON.stringify(join(dir.path, "proxy"))}, log: () => {} });
			await driver.ensureRunning();
			await driver.removeRoute("live");
			await driver.applyRoute({ app: "live", hosts: [${JSON.stringify(host)}], upstreams: [{ host: "127.0.0.1", port: ${up[0]!.port} }] });
			await driver.applyRoute({ app: "live", hosts: [${JSON.stringify(host)}], upstreams: [{ host: "127.0.0.1", port: ${up[2]!.port} }] });
			process.exit(0);
		`;
		await driver.stop();
		await execa(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script]);
		const running = (await adminRequest(join(dir.path, "proxy", "caddy-admin.sock"), "GET", "/config/")).body;
		assert.ok(running.includes(`"dial":"127.0.0.1:${up[0]!.port}"`) && !running.includes(`:${up[2]!.port}"`), `Caddy's loaded config still names v1 only: ${running}`);
		for (let i = 0; i < 3; i++) assert.deepEqual(await getVia(port, host), { status: 200, body: "v3" });
		// Past Caddy's refresh: every answer it held has gone stale, and it asks again.
		await sleep(1500);
		for (let i = 0; i < 3; i++) assert.deepEqual(await getVia(port, host), { status: 200, body: "v3" });
		// This driver stops the Caddy and the resolver the dead agent left (afterAll() does).
		await driver.ensureRunning();
	});
	test("an agent that starts again loads nothing when only instances changed: the connection stays", async () => {
		await driver.applyRoute({ app: "live", hosts: [host], upstreams: [upstream(up[0]!)] });
		const agent = new Agent({ keepAlive: true, maxSockets: 1 });
		try {
			const first = await getKeptAlive(agent, port);
			assert.equal(first.body, "v1");
			// A new driver on the same folder: what a restarted agent daemon builds.
			const restarted = createProxyDriver("caddy", { setup: { proxy: "caddy", httpPort: port, httpsPort: 443, address: "127.0.0.1" }, dir: join(dir.path, "proxy"), log: () => {} });
			await restarted.ensureRunning();
			await restarted.applyRoute({ app: "live", hosts: [host], upstreams: [upstream(up[1]!)] });
			assert.deepEqual(await getKeptAlive(agent, port), { body: "v2", localPort: first.localPort });
		} finally {
			agent.destroy();
		}
	});
});
