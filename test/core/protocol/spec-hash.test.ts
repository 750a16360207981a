// The spec's identity that lets a redeploy name its spec instead of sending it: the
// client hashes what it would send, the agent what it stored, and they must agree.
import assert from "node:assert/strict";
import { test } from "vitest";
import { appSpec } from "../../../core/protocol/index.js";
import { appSpecHash } from "../../../core/protocol/spec-hash.js";

const spec = appSpec.parse({ name: "shop", env: { A: "1", B: "2" }, domains: ["shop.example.com"] });

test("the spec as the agent stores it (sent as JSON, parsed again) hashes like the client's", () => {
	const stored = appSpec.parse(JSON.parse(JSON.stringify(spec)));
	assert.equal(appSpecHash(stored), appSpecHash(spec));
});

test("key order does not matter, defaults are filled in before hashing", () => {
	const reordered = appSpec.parse({ domains: ["shop.example.com"], env: { B: "2", A: "1" }, name: "shop" });
	assert.equal(appSpecHash(reordered), appSpecHash(spec));
	assert.equal(appSpecHash({ name: "shop", env: { A: "1", B: "2" }, domains: ["shop.example.com"] } as never), appSpecHash(spec));
});

test("any change of the spec changes the hash, an env value included", () => {
	assert.notEqual(appSpecHash({ ...spec, env: { A: "1", B: "3" } }), appSpecHash(spec));
	assert.notEqual(appSpecHash({ ...spec, keepReleases: spec.keepReleases + 1 }), appSpecHash(spec));
	assert.match(appSpecHash(spec), /^[0-9a-f]{64}$/);
});
