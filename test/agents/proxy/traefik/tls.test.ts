// Issue 6, Traefik's TLS half. No Traefik binary can run here: the static and dynamic
// configs for the TLS cases are checked against Traefik's JSON Schemas and golden
// files, certificates() reads an acme.json laid out as Traefik writes it (with real
// certificates made by openssl), and the process handling runs a stand-in executable.
import assert from "node:assert/strict";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { afterAll, beforeAll, describe, test } from "vitest";
import { fileURLToPath } from "node:url";
import { Ajv } from "ajv";
import { execa } from "execa";
import { parse } from "yaml";
import type { ServerSetup } from "../../../../core/protocol/index.js";
import { certificateState } from "../../../../agents/proxy/certificate-state.js";
import type { AppRoute } from "../../../../agents/proxy/driver.js";
import { createProxyDriver, type ProxyDriver } from "../../../../agents/proxy/index.js";
import { renderTraefikDynamic, renderTraefikStatic, renderTraefikTlsOptions, renderTraefikYaml } from "../../../../agents/proxy/traefik/config.js";
import { tempDir } from "../../../helpers/proxy.js";

const here = dirname(fileURLToPath(import.meta.url));
const schemas = resolve(here, "..", "..", "..", "..", "..", "shared", "schemas");
const golden = join(here, "..", "golden");
const ajv = new Ajv({ strict: false });
const validateStatic = ajv.compile(JSON.parse(await readFile(join(schemas, "traefik-v3.json"), "utf8")));
const validateDynamic = ajv.compile(JSON.parse(await readFile(join(schemas, "traefik-v3-file-provider.json"), "utf8")));

function assertValid(validate: typeof validateStatic, config: unknown): void {
	assert.equal(validate(config), true, JSON.stringify(validate.errors, null, 2));
}

/** Compares with the golden file; UPDATE_GOLDEN=1 rewrites it (review the diff before committing). */
async function assertGolden(name: string, text: string): Promise<void> {
	const path = join(golden, name);
	if (process.env.UPDATE_GOLDEN === "1") await writeFile(path, text);
	assert.equal(text, await readFile(path, "utf8"));
}

const serverDir = "/var/lib/deploy/proxy";
const pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----";
const privateCa: ServerSetup = {
	proxy: "traefik",
	httpPort: 8080,
	httpsPort: 8443,
	address: "203.0.113.7",
	acme: { directory: "https://ca.internal/acme/directory", caRoot: pem, email: "ops@example.com" },
};
const shop: AppRoute = {
	app: "shop",
	hosts: ["shop.203.0.113.7.sslip.io", "shop.example.com", "www.shop.example.com"],
	upstreams: [{ host: "127.0.0.1", port: 4201 }],
	tlsHosts: ["shop.example.com", "www.shop.example.com"],
};

describe("traefik: rendered TLS configuration", () => {
	test("static, private CA: resolver with caServer, email, CA root, HTTP-01 and TLS-ALPN-01", async () => {
		const config = renderTraefikStatic(privateCa, serverDir);
		assertValid(validateStatic, config);
		await assertGolden("traefik-static-private-ca.yaml", renderTraefikYaml(config));
	});

	test("static, --no-tls: no HTTPS entry point, no resolver", async () => {
		const config = renderTraefikStatic({ ...privateCa, tls: false, acme: undefined }, serverDir);
		assertValid(validateStatic, config);
		await assertGolden("traefik-static-no-tls.yaml", renderTraefikYaml(config));
	});

	test("dynamic: TLS hosts on websecure with the resolver, redirected from web; the sslip.io host stays on web", async () => {
		const config = renderTraefikDynamic(shop, privateCa);
		assertValid(validateDynamic, config);
		await assertGolden("traefik-dynamic-shop-tls.yaml", renderTraefikYaml(config));
	});

	test("issue 14, dynamic while a certificate is pending: web serves that host (no redirect), websecure still asks the resolver for it", async () => {
		const config = renderTraefikDynamic(shop, privateCa, new Set(["shop.example.com"])) as { http: { routers: Record<string, { rule: string; middlewares?: string[] }> } };
		assertValid(validateDynamic, config);
		assert.equal(config.http.routers.shop!.rule, "Host(`shop.203.0.113.7.sslip.io`) || Host(`www.shop.example.com`)");
		assert.equal(config.http.routers["shop_https-redirect"]!.rule, "Host(`shop.example.com`)");
		assert.equal(config.http.routers.shop_tls!.rule, "Host(`shop.example.com`) || Host(`www.shop.example.com`)");
		await assertGolden("traefik-dynamic-shop-tls-pending.yaml", renderTraefikYaml(config));
	});

	test("dynamic, every host TLS on 80/443: no plain router, the redirect keeps the default port", () => {
		const setup: ServerSetup = { proxy: "traefik", httpPort: 80, httpsPort: 443, address: "203.0.113.7" };
		const config = renderTraefikDynamic({ ...shop, tlsHosts: shop.hosts }, setup) as { http: { routers: Record<string, unknown>; middlewares: Record<string, { redirectScheme: object }> } };
		assertValid(validateDynamic, config);
		assert.deepEqual(Object.keys(config.http.routers).sort(), ["shop_https-redirect", "shop_tls"]);
		assert.deepEqual(config.http.middlewares["shop_https-redirect"]!.redirectScheme, { scheme: "https", permanent: true });
	});

	test("dynamic, --no-tls: a route stored with TLS hosts renders plain, with no redirect", () => {
		const config = renderTraefikDynamic(shop, { ...privateCa, tls: false }) as { http: { routers: Record<string, { rule: string }>; middlewares?: object } };
		assert.deepEqual(Object.keys(config.http.routers), ["shop"]);
		// No redirect: the one middleware is the dial retry (agents/proxy/traefik/retry.ts).
		assert.deepEqual(Object.keys(config.http.middlewares ?? {}), ["shop_retry"]);
		assert.equal(config.http.routers.shop!.rule, "Host(`shop.203.0.113.7.sslip.io`) || Host(`shop.example.com`) || Host(`www.shop.example.com`)");
	});

	test("TLS options: TLS 1.2 at least", async () => {
		const config = renderTraefikTlsOptions();
		assertValid(validateDynamic, config);
		await assertGolden("traefik-tls-options.yaml", renderTraefikYaml(config));
	});
});

describe("traefik: certificates from acme.json and the log", () => {
	let dir: Awaited<ReturnType<typeof tempDir>>;
	let driver: ProxyDriver;
	let proxyDir: string;

	beforeAll(async () => {
		dir = await tempDir("proxy-traefik-tls-");
		proxyDir = join(dir.path, "proxy");
		driver = createProxyDriver("traefik", { setup: privateCa, dir: proxyDir, log: () => {} });
		await driver.applyRoute(shop);
		await driver.applyRoute({ app: "blog", hosts: ["blog.example.com"], upstreams: [{ host: "127.0.0.1", port: 4301 }], tlsHosts: ["blog.example.com"] });
		const certificate = await selfSigned(dir.path, "shop.example.com", "Test ACME Intermediate");
		// As Traefik's ACME provider writes it: per resolver, base64 PEM chains and keys.
		const acme = { acme: { Account: { Email: "ops@example.com" }, Certificates: [{ domain: { main: "shop.example.com", sans: null }, certificate: Buffer.from(certificate).toString("base64"), key: "", Store: "default" }] } };
		await writeFile(join(proxyDir, "acme.json"), JSON.stringify(acme), { mode: 0o600 });
		const failure = { level: "error", providerName: "acme.acme", domains: ["www.shop.example.com"], error: "acme: error: 403 :: urn:ietf:params:acme:error:unauthorized", message: "Unable to obtain ACME certificate for domains" };
		await writeFile(join(proxyDir, "traefik.log"), `${JSON.stringify(failure)}\n`);
	});
	afterAll(() => dir.remove());

	test("valid with the issuer and expiry read from the certificate; failed with Traefik's reason; pending; none", async () => {
		const [valid, failed, pending, none] = await driver.certificates(["shop.example.com", "www.shop.example.com", "blog.example.com", "shop.203.0.113.7.sslip.io"]);
		assert.equal(valid!.state, "valid");
		assert.equal(valid!.issuer, "Test ACME Intermediate");
		assert.ok(new Date(valid!.notAfter!).getTime() > Date.now());
		assert.deepEqual(failed, { host: "www.shop.example.com", issuer: null, notAfter: null, state: "failed", message: "acme: error: 403 :: urn:ietf:params:acme:error:unauthorized" });
		assert.deepEqual(pending, { host: "blog.example.com", issuer: null, notAfter: null, state: "pending" });
		assert.deepEqual(none, { host: "shop.203.0.113.7.sslip.io", issuer: null, notAfter: null, state: "none" });
	});

	test("issue 14: the files on disk redirect only hosts acme.json holds a certificate for, written again once one arrives", async () => {
		const routers = async (app: string) => (parse(await readFile(join(proxyDir, "dynamic", `${app}.yaml`), "utf8")) as { http: { routers: Record<string, { rule: string }> } }).http.routers;
		// certificates() above found shop.example.com's new certificate and rendered again.
		assert.equal((await routers("shop"))["shop_https-redirect"]?.rule, "Host(`shop.example.com`)");
		assert.equal((await routers("shop")).shop?.rule, "Host(`shop.203.0.113.7.sslip.io`) || Host(`www.shop.example.com`)");
		assert.equal((await routers("blog"))["blog_https-redirect"], undefined, "blog has no certificate yet: served on web");
		assert.equal((await routers("blog")).blog?.rule, "Host(`blog.example.com`)");
	});

	test("a certificate past its expiry is expired", () => {
		const past = new Date(Date.now() - 86_400_000);
		assert.deepEqual(certificateState("a.example.com", true, { issuer: "R11", notAfter: past }, undefined), {
			host: "a.example.com",
			issuer: "R11",
			notAfter: past.toISOString(),
			state: "expired",
		});
	});

	test("Traefik is started with LEGO_CA_CERTIFICATES naming the CA root it was given", async () => {
		const bin = join(dir.path, "bin");
		const envFile = join(dir.path, "traefik-env");
		await mkdir(bin);
		await writeFile(join(bin, "traefik"), `#!/bin/sh\nif [ "$1" = version ]; then echo 'Version: 3.1.2'; exit 0; fi\necho "$LEGO_CA_CERTIFICATES" > '${envFile}'\nwhile :; do sleep 1; done\n`);
		await chmod(join(bin, "traefik"), 0o755);
		const savedPath = process.env.PATH;
		process.env.PATH = `${bin}:${savedPath}`;
		try {
			await driver.ensureRunning();
			const rootFile = join(proxyDir, "acme-ca-root.pem");
			for (let i = 0; i < 50 && !(await readFile(envFile, "utf8").catch(() => "")); i++) await new Promise((r) => setTimeout(r, 100));
			assert.equal((await readFile(envFile, "utf8")).trim(), rootFile);
			assert.equal(await readFile(rootFile, "utf8"), `${pem}\n`);
			assertValid(validateStatic, parse(await readFile(join(proxyDir, "traefik.yaml"), "utf8")));
		} finally {
			process.env.PATH = savedPath;
			await driver.stop();
		}
	});
});

/** A real certificate for `host`, issued (self-signed) under the name `issuer`. */
async function selfSigned(dir: string, host: string, issuer: string): Promise<string> {
	const cert = join(dir, `${host}.crt`);
	await execa("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", join(dir, `${host}.key`), "-out", cert, "-days", "30", "-subj", `/CN=${issuer}`, "-addext", `subjectAltName=DNS:${host}`]);
	return readFile(cert, "utf8");
}
