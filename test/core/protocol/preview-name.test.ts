// Issue 6: preview names and time-to-live parsing, pure functions.
import assert from "node:assert/strict";
import { describe, test } from "vitest";
import { previewAppName } from "../../../core/protocol/preview-name.js";
import { previewSpec } from "../../../core/protocol/preview-spec.js";
import { appName, appSpec } from "../../../core/protocol/index.js";
import { ttlDuration, ttlSeconds } from "../../../core/protocol/previews.js";

describe("previewAppName", () => {
	test("makes the branch DNS-safe: lowercase, [a-z0-9-], no doubled or edge dashes", () => {
		assert.equal(previewAppName("feature/login", "hello"), "feature-login-hello");
		assert.equal(previewAppName("Feature/Login_Page", "hello"), "feature-login-page-hello");
		assert.equal(previewAppName("--fix//é..x--", "hello"), "fix-x-hello");
	});

	test("a name too long for a DNS label is cut to 63 with a hash of the whole branch", () => {
		const long = `feature/${"a".repeat(80)}`;
		const name = previewAppName(long, "shop");
		assert.equal(name.length, 63);
		assert.ok(appName.safeParse(name).success, name);
		assert.match(name, /^feature-a+-[0-9a-f]{6}-shop$/);
		// Same prefix, other branch: another name. Same branch: the same name (a redeploy replaces its preview).
		assert.notEqual(previewAppName(`${long}b`, "shop"), name);
		assert.equal(previewAppName(long, "shop"), name);
	});

	test("a branch with nothing DNS-safe, or an app name that leaves no room, still gives a valid label", () => {
		const unicode = previewAppName("功能", "hello");
		assert.match(unicode, /^[0-9a-f]{6}-hello$/);
		const app = `a${"b".repeat(61)}c`;
		const name = previewAppName("feature/x", app);
		assert.ok(name.length <= 63 && appName.safeParse(name).success, name);
	});
});

describe("previewSpec", () => {
	const app = appSpec.parse({ name: "hello", domains: ["shop.example.com", "www.shop.example.com"], env: { A: "1" } });

	test("is the app's spec under the preview's name, at <name>.<first domain>, with the marker", () => {
		const spec = previewSpec(app, "feature/login", 3600);
		assert.equal(spec.name, "feature-login-hello");
		assert.deepEqual(spec.domains, ["feature-login-hello.shop.example.com"]);
		assert.deepEqual(spec.env, { A: "1" });
		assert.deepEqual(spec.preview, { of: "hello", branch: "feature/login", ttlSeconds: 3600, environment: "preview" });
		assert.ok(appSpec.safeParse(spec).success);
	});

	test("without a domain, only the generated sslip.io host (the agent's default host of the name)", () => {
		assert.deepEqual(previewSpec({ ...app, domains: [] }, "x", 60).domains, []);
	});
});

describe("ttl", () => {
	test("a number and a unit", () => {
		assert.equal(ttlSeconds("90s"), 90);
		assert.equal(ttlSeconds("12h"), 43_200);
		assert.equal(ttlSeconds("7d"), 604_800);
		assert.equal(ttlSeconds("2w"), 1_209_600);
	});

	test("anything else is refused", () => {
		for (const bad of ["7", "d", "0d", "5 days", "-1h", "1.5h", "400d"]) assert.equal(ttlDuration.safeParse(bad).success, false, bad);
	});
});
