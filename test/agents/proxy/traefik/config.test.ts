// No Traefik binary can run here: its configuration is checked against Traefik's JSON
// Schemas and golden files, and the process handling against a stand-in executable.
import assert from "node:assert/strict";
import { chmod, mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { afterAll, beforeAll, describe, test } from "vitest";
import { fileURLToPath } from "node:url";
import { Ajv } from "ajv";
import { parse } from "yaml";
import type { AppRoute } from "../../../../agents/proxy/driver.js";
import { createProxyDriver, type ProxyDriver } from "../../../../agents/proxy/index.js";
import { renderTraefikDynamic, renderTraefikStatic, renderTraefikYaml } from "../../../../agents/proxy/traefik/config.js";
import { isRunning, tempDir } from "../../../helpers/proxy.js";

const here = dirname(fileURLToPath(import.meta.url));
// shared/ sits beside the repository (here and in CI), so it is found from this file, not from /work.
const schemas = resolve(here, "..", "..", "..", "..", "..", "shared", "schemas");
const golden = join(here, "..", "golden");

const ajv = new Ajv({ strict: false });
const validateStatic = ajv.compile(JSON.parse(await readFile(join(schemas, "traefik-v3.json"), "utf8")));
const validateDynamic = ajv.compile(JSON.parse(await readFile(join(schemas, "traefik-v3-file-provider.json"), "utf8")));

function assertValid(validate: typeof validateStatic, config: unknown): void {
	assert.equal(validate(config), true, JSON.stringify(validate.errors, null, 2));
}

const setup = { proxy: "traefik" as const, httpPort: 80, httpsPort: 443, address: "203.0.113.7" };
const serverDir = "/var/lib/deploy/proxy";
const routes: AppRoute[] = [
	{ app: "hello", hosts: ["hello.203.0.113.7.sslip.io"], upstreams: [{ host: "127.0.0.1", port: 4101 }, { host: "127.0.0.1", port: 4102 }] },
	{ app: "shop", hosts: ["shop.203.0.113.7.sslip.io", "shop.example.com", "www.shop.example.com"], upstreams: [{ host: "127.0.0.1", port: 4201 }] },
];

/** Compares with the golden file; UPDATE_GOLDEN=1 rewrites it (review the diff before committing). */
async function assertGolden(name: string, text: string): Promise<void> {
	const path = join(golden, name);
	if (process.env.UPDATE_GOLDEN === "1") await writeFile(path, text);
	assert.equal(text, await readFile(path, "utf8"));
}

describe("traefik: rendered configuration", () => {
	test("the static configuration is schema-valid and matches its golden file", async () => {
		const config = renderTraefikStatic(setup, serverDir);
		assertValid(validateStatic, config);
		await assertGolden("traefik-static.yaml", renderTraefikYaml(config));
	});

	for (const route of routes) {
		test(`the dynamic file of ${route.app} is schema-valid and matches its golden file`, async () => {
			const config = renderTraefikDynamic(route, setup);
			assertValid(validateDynamic, config);
			await assertGolden(`traefik-dynamic-${route.app}.yaml`, renderTraefikYaml(config));
		});
	}

	test("a refused dial is retried: every router that reaches the app ends its chain with the retry, the HTTPS redirect has none", () => {
		const route: AppRoute = {
			...routes[1]!,
			tlsHosts: ["shop.example.com", "www.shop.example.com"],
			rules: { hostRedirects: [], redirects: [{ from: "/old", to: "/new", status: 301 }], rewrites: [], headers: [], hsts: false },
		};
		const config = renderTraefikDynamic(route, { ...setup, httpsPort: 8443 }) as { http: { routers: Record<string, { middlewares?: string[] }>; middlewares: Record<string, object> } };
		assertValid(validateDynamic, config);
		// About 5 s: 15 dials, the pauses between them growing from 250 ms to 500 ms.
		assert.deepEqual(config.http.middlewares.shop_retry, { retry: { attempts: 15, initialInterval: "250ms" } });
		const chains = Object.fromEntries(Object.entries(config.http.routers).map(([name, router]) => [name, router.middlewares ?? []]));
		assert.deepEqual(chains, {
			shop: ["shop_redirect-0", "shop_retry"],
			"shop_https-redirect": ["shop_https-redirect"],
			shop_tls: ["shop_redirect-0", "shop_retry"],
		});
	});

	test("the schema check has teeth: a router without a service is rejected", () => {
		assert.equal(validateDynamic({ http: { routers: { hello: { rule: "Host(`a`)" } } } }), false);
	});
});

describe("traefik: route model through the rendered files", () => {
	let dir: Awaited<ReturnType<typeof tempDir>>;
	let driver: ProxyDriver;
	const newDriver = () => createProxyDriver("traefik", { setup, dir: join(dir.path, "proxy"), log: () => {} });
	const dynamicFile = async (app: string) => {
		const config = parse(asTraefikReadsIt(await readFile(join(dir.path, "proxy", "dynamic", `${app}.yaml`), "utf8")));
		assertValid(validateDynamic, config);
		return config;
	};

	beforeAll(async () => {
		dir = await tempDir("proxy-traefik-");
		driver = newDriver();
	});
	afterAll(() => dir.remove());

	test("one route with two upstreams: both upstream urls, every host in the rule", async () => {
		await driver.applyRoute(routes[1]!);
		const config = await dynamicFile("shop");
		assert.equal(config.http.routers.shop.rule, "Host(`shop.203.0.113.7.sslip.io`) || Host(`shop.example.com`) || Host(`www.shop.example.com`)");
		await driver.applyRoute(routes[0]!);
		const hello = await dynamicFile("hello");
		assert.deepEqual(hello.http.services.hello.loadBalancer.servers, [{ url: "http://127.0.0.1:4101" }, { url: "http://127.0.0.1:4102" }]);
		assert.equal(hello.http.routers.hello.service, "hello");
	});

	test("replacing the upstreams rewrites the app's file with only the new one", async () => {
		await driver.applyRoute({ ...routes[0]!, upstreams: [{ host: "127.0.0.1", port: 4103 }] });
		assert.deepEqual((await dynamicFile("hello")).http.services.hello.loadBalancer.servers, [{ url: "http://127.0.0.1:4103" }]);
	});

	test("a header value with {{ … }} reaches Traefik as text, never as a Go template", async () => {
		const values = { "X-Env": '{{ env "HOME" }}', "X-Stray": "a {{ b", "X-Close": "}} and {{{{" };
		await driver.applyRoute({ ...routes[0]!, app: "templ", hosts: ["templ.example.test"], rules: { hostRedirects: [], redirects: [], rewrites: [], headers: [{ set: values, remove: [] }], hsts: false } });
		const text = await readFile(join(dir.path, "proxy", "dynamic", "templ.yaml"), "utf8");
		assert.ok(text.includes('{{"{{"}}'), text);
		const config = await dynamicFile("templ");
		const headers = Object.values(config.http.middlewares as Record<string, { headers?: { customResponseHeaders: Record<string, string> } }>).find((m) => m.headers)?.headers?.customResponseHeaders;
		assert.deepEqual(headers, values);
		await driver.removeRoute("templ");
	});

	test("two apps live in two files; removing one deletes only its file", async () => {
		// _tls.yaml: the shared TLS options (TLS 1.2 at least), no app's.
		assert.deepEqual((await readdir(join(dir.path, "proxy", "dynamic"))).sort(), ["_tls.yaml", "hello.yaml", "shop.yaml"]);
		await driver.removeRoute("shop");
		assert.deepEqual((await readdir(join(dir.path, "proxy", "dynamic"))).sort(), ["_tls.yaml", "hello.yaml"]);
	});

	test("without a traefik binary ensureRunning says so and names --proxy caddy", async () => {
		const savedPath = process.env.PATH;
		process.env.PATH = "/nonexistent";
		try {
			await assert.rejects(newDriver().ensureRunning(), (error: Error & { code?: string; hint?: string }) => {
				assert.equal(error.code, "PROXY_UNAVAILABLE");
				assert.match(error.message, /Traefik is not installed/);
				assert.match(error.hint ?? "", /--proxy caddy/);
				return true;
			});
		} finally {
			process.env.PATH = savedPath;
		}
	});

	test("with traefik on PATH: started once with its static file, restored routes, stopped", async () => {
		// A stand-in executable (Traefik itself cannot be installed here): it records its
		// arguments, prints a version and stays up like the real proxy.
		const bin = join(dir.path, "bin");
		const argsFile = join(dir.path, "traefik-args");
		await mkdir(bin);
		await writeFile(
			join(bin, "traefik"),
			`#!/bin/sh\nif [ "$1" = version ]; then printf 'Version:      3.1.2\\nCodename:     comte\\n'; exit 0; fi\necho "$@" >> '${argsFile}'\nwhile :; do sleep 1; done\n`,
		);
		await chmod(join(bin, "traefik"), 0o755);
		const savedPath = process.env.PATH;
		process.env.PATH = `${bin}:${savedPath}`;
		const proxyDir = join(dir.path, "proxy");
		try {
			// A lost dynamic file is rewritten from the stored route.
			await rm(join(proxyDir, "dynamic", "hello.yaml"));
			assert.deepEqual(await driver.ensureRunning(), { version: "3.1.2" });
			assert.deepEqual(await newDriver().ensureRunning(), { version: "3.1.2" });
			assert.equal(await readFile(argsFile, "utf8"), `--configFile=${join(proxyDir, "traefik.yaml")}\n`, "started exactly once");
			assertValid(validateStatic, parse(await readFile(join(proxyDir, "traefik.yaml"), "utf8")));
			assert.equal((await dynamicFile("hello")).http.routers.hello.rule, "Host(`hello.203.0.113.7.sslip.io`)");
			const pid = Number(await readFile(join(proxyDir, "traefik.pid"), "utf8"));
			assert.equal(isRunning(pid), true);
			await driver.stop();
			assert.equal(isRunning(pid), false, "the proxy process is gone");
		} finally {
			process.env.PATH = savedPath;
			await driver.stop();
		}
	});
});

/**
 * What Traefik's file provider does to a dynamic file before reading its YAML: Go's
 * text/template. Go cannot run here, so this stands in for it, for the one action our
 * files may hold (`{{"{{"}}`, which prints `{{`); any other action fails the test.
 */
function asTraefikReadsIt(text: string): string {
	return text.replace(/\{\{(.*?)\}\}/gs, (action, inner: string) => {
		if (inner === '"{{"') return "{{";
		throw new Error(`the file holds a Go template action Traefik would evaluate: ${action}`);
	});
}

// Issue 17: the HTTPS API's route (`_api`) renders like an app's: its routers and service cannot collide with an app's.
describe("traefik: the API's route", () => {
	test("routers _api (HTTP, redirected once certified) and _api_tls to the service _api", () => {
		const api = { app: "_api", hosts: ["deploy.example.com"], upstreams: [{ host: "127.0.0.1", port: 4100 }], tlsHosts: ["deploy.example.com"] };
		const config = renderTraefikDynamic(api, setup) as { http: { routers: Record<string, { service: string; entryPoints: string[] }>; services: Record<string, unknown> } };
		assert.deepEqual(Object.keys(config.http.services), ["_api"]);
		assert.ok(Object.values(config.http.routers).every((router) => router.service === "_api"));
		assert.deepEqual(config.http.routers._api_tls?.entryPoints, ["websecure"]);
	});
});
