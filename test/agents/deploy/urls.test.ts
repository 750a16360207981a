// Issue 14: the order a deployment's URLs are printed in (agents/deploy/urls.ts orderUrls),
// pure, by exact equality: what surely works first, production's own domain before its
// generated host, a preview's generated host first.
import assert from "node:assert/strict";
import { test } from "vitest";
import { orderUrls } from "../../../agents/deploy/urls.js";
import type { DeploymentUrl } from "../../../core/protocol/index.js";

const url = (host: string, kind: DeploymentUrl["kind"], certificate: DeploymentUrl["certificate"]): DeploymentUrl => ({ url: `http://${host}`, host, kind, certificate });
const hosts = (urls: DeploymentUrl[]) => orderUrls(urls).map((u) => u.host);

test("a preview: its sslip.io host before its host under the domain, whatever that one's certificate", () => {
	for (const certificate of ["pending", "failed", "none"] as const) {
		assert.deepEqual(hosts([url("main-express.shop.example.com", "preview-domain", certificate), url("main-express.1.2.3.4.sslip.io", "generated", "none")]), ["main-express.1.2.3.4.sslip.io", "main-express.shop.example.com"], certificate);
	}
	assert.deepEqual(hosts([url("main-express.1.2.3.4.sslip.io", "generated", "none"), url("main-express.shop.example.com", "preview-domain", "valid")]), ["main-express.1.2.3.4.sslip.io", "main-express.shop.example.com"]);
});

test("production: its domain first once the certificate is valid (or on a --no-tls server); while pending, the sslip.io host", () => {
	const generated = url("shop.1.2.3.4.sslip.io", "generated", "none");
	assert.deepEqual(hosts([generated, url("shop.example.com", "domain", "valid")]), ["shop.example.com", "shop.1.2.3.4.sslip.io"]);
	assert.deepEqual(hosts([generated, url("shop.example.com", "domain", "none")]), ["shop.example.com", "shop.1.2.3.4.sslip.io"]);
	assert.deepEqual(hosts([generated, url("shop.example.com", "domain", "pending")]), ["shop.1.2.3.4.sslip.io", "shop.example.com"]);
	assert.deepEqual(hosts([generated, url("shop.example.com", "domain", "failed"), url("www.example.com", "domain", "valid")]), ["www.example.com", "shop.1.2.3.4.sslip.io", "shop.example.com"]);
});

test("a generated host waiting for its certificate (80/443 at a public address) does not come before a domain that works", () => {
	assert.deepEqual(hosts([url("shop.1.2.3.4.sslip.io", "generated", "pending"), url("shop.example.com", "domain", "valid")]), ["shop.example.com", "shop.1.2.3.4.sslip.io"]);
});
