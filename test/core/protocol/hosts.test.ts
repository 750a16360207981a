import assert from "node:assert/strict";
import { test } from "vitest";
import { generatedHost, httpUrl, isGeneratedHost, previewHost } from "../../../core/protocol/hosts.js";
import { generatedUrl } from "../../../core/projects/config.js";
import { previewSpec } from "../../../core/deploy/preview-deploy.js";
import type { AppSpec } from "../../../core/protocol/index.js";

// The host names we make up, one rule for the client and the agent (issue 15, item 4).
test("an app's generated host: sslip.io under the address, IPv6 with dashes", () => {
	assert.equal(generatedHost("shop", "203.0.113.7"), "shop.203.0.113.7.sslip.io");
	assert.equal(generatedHost("shop", "2001:db8::1"), "shop.2001-db8--1.sslip.io");
	assert.equal(isGeneratedHost("main-shop.203.0.113.7.sslip.io", "203.0.113.7"), true);
	assert.equal(isGeneratedHost("shop.example.com", "203.0.113.7"), false);
	assert.equal(isGeneratedHost("shop.203.0.113.70.sslip.io", "203.0.113.7"), false);
});

test("the client's generated URL is the agent's host, port left out when it is 80", () => {
	assert.equal(generatedUrl("shop", "203.0.113.7", 80), "http://shop.203.0.113.7.sslip.io");
	assert.equal(generatedUrl("shop", "203.0.113.7", 8080), "http://shop.203.0.113.7.sslip.io:8080");
	assert.equal(httpUrl("shop.localhost", 8080), "http://shop.localhost:8080");
});

test("a preview's host is one label under the app's domain; none without a domain or past 253 characters", () => {
	assert.equal(previewHost("feature-x-shop", "shop.example.com"), "feature-x-shop.shop.example.com");
	assert.equal(previewHost("feature-x-shop", undefined), null);
	const long = `${"a".repeat(60)}.${"b".repeat(60)}.${"c".repeat(60)}.${"d".repeat(55)}.com`;
	assert.equal(previewHost("feature-x-shop", long), null);
	const spec = { name: "shop", domains: ["shop.example.com"] } as unknown as AppSpec;
	assert.deepEqual(previewSpec(spec, "feature/x", 60).domains, ["feature-x-shop.shop.example.com"]);
	assert.deepEqual(previewSpec({ ...spec, domains: [] }, "feature/x", 60).domains, []);
});
