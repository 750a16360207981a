// Issue 6: the Caddy driver's TLS half without a CA that works: the rendered config
// (pure, compared by equality and accepted by `caddy validate`), which hosts get TLS,
// and what `certificates()` says when issuance fails against a real Caddy.
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, test } from "vitest";
import { setTimeout as sleep } from "node:timers/promises";
import { execa } from "execa";
import type { ServerSetup } from "../../../core/protocol/index.js";
import { renderCaddyConfig } from "../../../agents/proxy/caddy/config.js";
import type { AppRoute } from "../../../agents/proxy/driver.js";
import { createProxyDriver, type ProxyDriver } from "../../../agents/proxy/index.js";
import { tlsHostsOf, urlOf } from "../../../agents/proxy/tls.js";
import { freePort, startUpstream, tempDir, type Upstream } from "../../helpers/proxy.js";

const standard: ServerSetup = { proxy: "caddy", httpPort: 80, httpsPort: 443, address: "203.0.113.7" };
const highPorts: ServerSetup = { ...standard, httpPort: 8080, httpsPort: 8443 };

describe("which hosts get a certificate", () => {
	const hosts = ["shop.203.0.113.7.sslip.io", "shop.example.com", "preview-shop.203.0.113.7.sslip.io", "localhost", "app.localhost"];

	test("custom domains always; generated sslip.io hosts only on ports 80/443; never local names", () => {
		assert.deepEqual(tlsHostsOf(standard, hosts), ["shop.203.0.113.7.sslip.io", "shop.example.com", "preview-shop.203.0.113.7.sslip.io"]);
		assert.deepEqual(tlsHostsOf(highPorts, hosts), ["shop.example.com"]);
	});

	test("on 80/443 at a private or loopback address the sslip.io hosts stay plain: no CA could reach them", () => {
		for (const address of ["10.0.0.5", "192.168.1.20", "127.0.0.1", "fd00::5"]) {
			assert.deepEqual(tlsHostsOf({ ...standard, address }, [`shop.${address.replaceAll(":", "-")}.sslip.io`, "shop.example.com"]), ["shop.example.com"], address);
		}
	});

	test("--no-tls and the builtin preview proxy: none", () => {
		assert.deepEqual(tlsHostsOf({ ...standard, tls: false }, hosts), []);
		assert.deepEqual(tlsHostsOf({ ...standard, proxy: "builtin" }, hosts), []);
	});

	test("a server set up before TLS existed (no tls key) gets TLS", () => {
		assert.deepEqual(tlsHostsOf({ proxy: "caddy", httpPort: 80, httpsPort: 443, address: "203.0.113.7" }, ["a.example.com"]), ["a.example.com"]);
	});

	test("URLs: https with the HTTPS port for TLS hosts, http otherwise, default ports left out", () => {
		assert.equal(urlOf(standard, "shop.example.com"), "https://shop.example.com");
		assert.equal(urlOf(highPorts, "shop.example.com"), "https://shop.example.com:8443");
		assert.equal(urlOf(highPorts, "shop.203.0.113.7.sslip.io"), "http://shop.203.0.113.7.sslip.io:8080");
		assert.equal(urlOf({ ...standard, tls: false }, "shop.example.com"), "http://shop.example.com");
	});
});

describe("caddy: rendered TLS configuration", () => {
	const dir = "/var/lib/deploy/proxy";
	const route: AppRoute = {
		app: "shop",
		hosts: ["shop.203.0.113.7.sslip.io", "shop.example.com"],
		upstreams: [{ host: "127.0.0.1", port: 4101 }],
		tlsHosts: ["shop.example.com"],
	};
	const pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----";
	const setup: ServerSetup = { ...highPorts, acme: { directory: "https://ca.internal/acme/directory", caRoot: pem, email: "ops@example.com" } };
	const config = renderCaddyConfig(setup, dir, [route]) as {
		apps: { http: { servers: Record<string, { listen: string[]; routes: { match?: { host: string[] }[]; handle: { handler: string; status_code?: number; headers?: object }[] }[]; tls_connection_policies?: object[] }> }; tls?: object };
	};
	const servers = config.apps.http.servers;

	test("HTTP server: the TLS hosts redirect (308) to HTTPS on its port; the rest is proxied", () => {
		assert.deepEqual(servers.deploy!.listen, [":8080"]);
		const [redirect, plain] = servers.deploy!.routes;
		assert.deepEqual(redirect!.match, [{ host: ["shop.example.com"] }]);
		assert.deepEqual(redirect!.handle, [{ handler: "static_response", status_code: 308, headers: { Location: ["https://{http.request.host}:8443{http.request.uri}"] } }]);
		assert.deepEqual(plain!.match, [{ host: ["shop.203.0.113.7.sslip.io"] }]);
		assert.equal(plain!.handle[0]!.handler, "reverse_proxy");
	});

	test("issue 14: while the certificate is pending, HTTP serves the TLS host (no redirect); HTTPS still asks the CA for it", () => {
		const pending = renderCaddyConfig(setup, dir, [route], undefined, new Set()) as typeof config;
		const routes = pending.apps.http.servers.deploy!.routes;
		assert.equal(routes.length, 2, "the app's route and the 404: no redirect route");
		assert.deepEqual(routes[0]!.match, [{ host: ["shop.203.0.113.7.sslip.io", "shop.example.com"] }]);
		assert.equal(routes[0]!.handle[0]!.handler, "reverse_proxy");
		assert.deepEqual(pending.apps.http.servers["deploy-tls"]!.routes[0]!.match, [{ host: ["shop.example.com"] }]);
		assert.deepEqual(pending.apps.tls, config.apps.tls);
		assert.deepEqual(renderCaddyConfig(setup, dir, [route], undefined, new Set(["shop.example.com"])), config, "once held: the layout above");
	});

	test("HTTPS server: TLS 1.2 at least, only the TLS hosts", () => {
		const tls = servers["deploy-tls"]!;
		assert.deepEqual(tls.listen, [":8443"]);
		assert.deepEqual(tls.tls_connection_policies, [{ protocol_min: "tls1.2" }]);
		assert.deepEqual(tls.routes[0]!.match, [{ host: ["shop.example.com"] }]);
	});

	test("the server's CA: directory, email, its root as a file, challenges on the proxy's own ports", () => {
		assert.deepEqual(config.apps.tls, {
			automation: {
				policies: [
					{
						subjects: ["shop.example.com"],
						issuers: [
							{
								module: "acme",
								ca: "https://ca.internal/acme/directory",
								email: "ops@example.com",
								trusted_roots_pem_files: [join(dir, "acme-ca-root.pem")],
								challenges: { http: { alternate_port: 8080 }, "tls-alpn": { alternate_port: 8443 } },
							},
						],
					},
				],
			},
		});
	});

	test("without --acme-ca the issuer is Let's Encrypt's production directory", () => {
		const le = renderCaddyConfig(highPorts, dir, [route]) as { apps: { tls: { automation: { policies: { issuers: { ca: string }[] }[] } } } };
		assert.equal(le.apps.tls.automation.policies[0]!.issuers[0]!.ca, "https://acme-v02.api.letsencrypt.org/directory");
	});

	test("--no-tls: no HTTPS server, no certificates, no redirect, even for a route stored with TLS hosts", () => {
		const plain = renderCaddyConfig({ ...setup, tls: false }, dir, [route]) as typeof config;
		assert.deepEqual(Object.keys(plain.apps.http.servers), ["deploy"]);
		assert.equal(plain.apps.tls, undefined);
		assert.deepEqual(plain.apps.http.servers.deploy!.routes[0]!.match, [{ host: route.hosts }]);
	});

	test("Caddy itself accepts the rendered TLS config", async () => {
		const files = await tempDir("caddy-tls-validate-");
		try {
			const withoutRoot = renderCaddyConfig({ ...highPorts, acme: { directory: "https://ca.internal/acme/directory" } }, join(files.path, "proxy"), [route]);
			const file = join(files.path, "caddy.json");
			await writeFile(file, JSON.stringify(withoutRoot));
			await execa("caddy", ["validate", "--config", file]);
		} finally {
			await files.remove();
		}
	});
});

describe("caddy: a certificate that cannot be issued", () => {
	let dir: Awaited<ReturnType<typeof tempDir>>;
	let app: Upstream;
	let driver: ProxyDriver;

	beforeAll(async () => {
		dir = await tempDir("proxy-caddy-tls-");
		app = await startUpstream("hello");
		// An ACME directory nothing listens on: what a CA that is down, or a wrong --acme-ca, looks like.
		const closed = await freePort();
		const setup: ServerSetup = { proxy: "caddy", httpPort: await freePort(), httpsPort: await freePort(), address: "127.0.0.1", acme: { directory: `https://127.0.0.1:${closed}/dir` } };
		driver = createProxyDriver("caddy", { setup, dir: join(dir.path, "proxy"), log: () => {} });
	});
	afterAll(async () => {
		await driver.stop();
		await app.close();
		await dir.remove();
	});

	test("certificates() says failed, with Caddy's reason; the plain host says none", async () => {
		await driver.ensureRunning();
		await driver.applyRoute({ app: "shop", hosts: ["shop.127.0.0.1.sslip.io", "down.example.test"], upstreams: [{ host: "127.0.0.1", port: app.port }], tlsHosts: ["down.example.test"] });
		let certificates = await driver.certificates(["down.example.test", "shop.127.0.0.1.sslip.io"]);
		for (let i = 0; i < 100 && certificates[0]!.state === "pending"; i++) {
			await sleep(200);
			certificates = await driver.certificates(["down.example.test", "shop.127.0.0.1.sslip.io"]);
		}
		const [down, plain] = certificates;
		assert.equal(down!.state, "failed", JSON.stringify(down));
		assert.match(down!.message ?? "", /connection refused|dial/i);
		assert.deepEqual(plain, { host: "shop.127.0.0.1.sslip.io", issuer: null, notAfter: null, state: "none" });
	});
});
