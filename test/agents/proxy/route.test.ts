// One route-model suite, run against every proxy driver that can run live here:
// the builtin proxy and a real Caddy. (Traefik's run is by rendered config, in traefik.test.ts.)
import assert from "node:assert/strict";
import { afterAll, beforeAll, describe, test } from "vitest";
import { mkdir, writeFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { createProxyDriver, type ProxyDriver } from "../../../agents/proxy/index.js";
import { createStaticServer } from "../../../agents/static/server.js";
import { bodiesOver, freePort, getVia, headersVia, startUpstream, tempDir, type Upstream, waitServed } from "../../helpers/proxy.js";

const upstream = (u: Upstream) => ({ host: "127.0.0.1" as const, port: u.port });

for (const kind of ["builtin", "caddy"] as const) {
	describe(`route model: ${kind}`, () => {
		let dir: Awaited<ReturnType<typeof tempDir>>;
		let port: number;
		let driver: ProxyDriver;
		const up: Record<string, Upstream> = {};
		const newDriver = () =>
			createProxyDriver(kind, {
				setup: { proxy: kind, httpPort: port, httpsPort: 443, address: "127.0.0.1" },
				dir: `${dir.path}/proxy`,
				log: () => {},
			});

		beforeAll(async () => {
			for (const name of ["alpha", "beta", "gamma", "other"]) up[name] = await startUpstream(name);
			dir = await tempDir(`proxy-${kind}-`);
			port = await freePort();
			driver = newDriver();
			await driver.ensureRunning();
		});

		afterAll(async () => {
			await driver.stop();
			for (const u of Object.values(up)) await u.close();
			await dir.remove();
		});

		test("one route with two upstreams: both get requests", async () => {
			await driver.applyRoute({ app: "hello", hosts: [driver.defaultHost("hello")], upstreams: [upstream(up.alpha!), upstream(up.beta!)] });
			await waitServed(port, driver.defaultHost("hello"), (body) => body === "alpha" || body === "beta");
			assert.deepEqual(await bodiesOver(port, driver.defaultHost("hello"), 6), new Set(["alpha", "beta"]));
		});

		test("replacing the upstreams: only the new one answers", async () => {
			await driver.applyRoute({ app: "hello", hosts: [driver.defaultHost("hello")], upstreams: [upstream(up.gamma!)] });
			await waitServed(port, driver.defaultHost("hello"), (body) => body === "gamma");
			assert.deepEqual(await bodiesOver(port, driver.defaultHost("hello"), 4), new Set(["gamma"]));
		});

		test("two apps are told apart by host", async () => {
			await driver.applyRoute({ app: "other", hosts: [driver.defaultHost("other"), "other.example.test"], upstreams: [upstream(up.other!)] });
			assert.equal((await getVia(port, driver.defaultHost("hello"))).body, "gamma");
			assert.equal((await getVia(port, driver.defaultHost("other"))).body, "other");
			assert.equal((await getVia(port, "other.example.test")).body, "other");
		});

		test("an unknown host gets a 404", async () => {
			const res = await getVia(port, driver.defaultHost("nobody"));
			assert.equal(res.status, 404);
			assert.match(res.body, /No app/);
		});

		test("a host another app holds is refused and changes nothing", async () => {
			await assert.rejects(
				driver.applyRoute({ app: "thief", hosts: ["other.example.test"], upstreams: [upstream(up.alpha!)] }),
				(error: Error & { code?: string }) => error.code === "HOST_IN_USE",
			);
			assert.equal((await getVia(port, "other.example.test")).body, "other");
		});

		test("removing a route: its host gets a 404, the others still answer", async () => {
			await driver.removeRoute("other");
			assert.equal((await getVia(port, driver.defaultHost("other"))).status, 404);
			assert.equal((await getVia(port, driver.defaultHost("hello"))).body, "gamma");
		});

		test("after a restart the stored routes are served again", async () => {
			await driver.stop();
			await assert.rejects(getVia(port, driver.defaultHost("hello")), /ECONNREFUSED/);
			driver = newDriver();
			await driver.ensureRunning();
			assert.equal((await getVia(port, driver.defaultHost("hello"))).body, "gamma");
			assert.equal((await getVia(port, driver.defaultHost("other"))).status, 404);
		});

		test("a static site: files, SPA fallback, cache headers (Caddy serves them; the others proxy to our static server)", async () => {
			const root = `${dir.path}/site`;
			await mkdir(`${root}/assets`, { recursive: true });
			await writeFile(`${root}/index.html`, "<h1>site</h1>");
			await writeFile(`${root}/assets/app-Ab12Cd34.js`, "console.log(1)");
			const fileServer = createStaticServer({ root, spa: true });
			await new Promise<void>((resolve) => fileServer.listen(0, "127.0.0.1", () => resolve()));
			try {
				const upstreams = driver.servesFiles ? [] : [{ host: "127.0.0.1" as const, port: (fileServer.address() as AddressInfo).port }];
				await driver.applyRoute({ app: "site", hosts: ["site.example.test"], upstreams, static: { root, spa: true } });
				assert.equal((await getVia(port, "site.example.test")).body, "<h1>site</h1>");
				assert.equal((await getVia(port, "site.example.test", "/deep/link")).body, "<h1>site</h1>");
				assert.equal((await getVia(port, "site.example.test", "/assets/app-Ab12Cd34.js")).body, "console.log(1)");
				const head = await headersVia(port, "site.example.test", "/assets/app-Ab12Cd34.js");
				assert.equal(head["cache-control"], "public, max-age=31536000, immutable");
				assert.equal((await headersVia(port, "site.example.test", "/"))["cache-control"], "no-cache");
			} finally {
				fileServer.close();
				fileServer.closeAllConnections();
			}
		});

		test("an upstream that is down gives a 502", async () => {
			const gone = await freePort();
			await driver.applyRoute({ app: "down", hosts: [driver.defaultHost("down")], upstreams: [{ host: "127.0.0.1", port: gone }] });
			assert.equal((await getVia(port, driver.defaultHost("down"))).status, 502);
		});
	});
}

// Issue 17: the HTTPS API's route has a name no app can have, and only that one.
describe("the API's reserved route name", () => {
	test("_api is a valid route; any other name with an underscore is not", async () => {
		const { API_ROUTE, parseRoute } = await import("../../../agents/proxy/route.js");
		const route = { hosts: ["deploy.example.com"], upstreams: [{ host: "127.0.0.1", port: 4100 }] };
		assert.equal(parseRoute({ app: API_ROUTE, ...route }).app, "_api");
		assert.throws(() => parseRoute({ app: "_shop", ...route }), /not a valid proxy route/);
	});
});
