// Issue 12: the Node.js an app runs on, from what it asks for. Pure, by equality.
import assert from "node:assert/strict";
import { describe, test } from "vitest";
import { parseNodeIndex } from "../../../agents/runtime/node-index.js";
import { nodeRequest } from "../../../agents/runtime/request.js";
import { type IndexRelease, resolveNodeVersion } from "../../../agents/runtime/resolve.js";

const index: IndexRelease[] = [
	{ version: "25.2.0", lts: null, available: true },
	{ version: "24.22.3", lts: "krypton", available: true },
	{ version: "24.21.0", lts: "krypton", available: true },
	{ version: "22.23.5", lts: "jod", available: true },
	{ version: "22.23.3", lts: "jod", available: true },
	{ version: "20.19.9", lts: "iron", available: false },
];
const agent = "24.22.3";

describe("app runtime: what an app asks for", () => {
	const pkg = (node: unknown) => JSON.stringify({ name: "shop", engines: node === undefined ? undefined : { node } });
	test("engines.node first, then .nvmrc, then .node-version; nothing: null", () => {
		assert.deepEqual(nodeRequest({ packageJson: pkg("^22"), nvmrc: "20\n" }), { kind: "range", range: "^22", source: "engines.node in package.json" });
		assert.deepEqual(nodeRequest({ packageJson: pkg(undefined), nvmrc: "# comment\nv20.11.1\n", nodeVersion: "18" }), { kind: "range", range: "20.11.1", source: ".nvmrc" });
		assert.deepEqual(nodeRequest({ packageJson: "{not json", nodeVersion: "22\n" }), { kind: "range", range: "22", source: ".node-version" });
		assert.deepEqual(nodeRequest({ nvmrc: "lts/*" }), { kind: "lts", codename: null, source: ".nvmrc" });
		assert.deepEqual(nodeRequest({ nvmrc: "lts/Jod" }), { kind: "lts", codename: "jod", source: ".nvmrc" });
		assert.deepEqual(nodeRequest({ nvmrc: "node" }), { kind: "latest", source: ".nvmrc" });
		assert.equal(nodeRequest({ packageJson: pkg(42) }), null);
		assert.equal(nodeRequest({}), null);
	});
});

describe("app runtime: the release it gets", () => {
	test("nothing asked, or the agent's LTS satisfies it: the agent's own runtime, no download", () => {
		assert.deepEqual(resolveNodeVersion(null, { agent, installed: [], index: null }), { version: agent, from: "agent" });
		assert.deepEqual(resolveNodeVersion({ kind: "range", range: ">=20", source: "s" }, { agent, installed: [], index: null }), { version: agent, from: "agent" });
	});

	test("a runtime another app installed is shared before anything is downloaded", () => {
		assert.deepEqual(resolveNodeVersion({ kind: "range", range: "22.x", source: "s" }, { agent, installed: ["22.23.3", agent], index: null }), { version: "22.23.3", from: "installed" });
	});

	test("otherwise the mirror's index decides: the newest release in range for this machine", () => {
		const request = { kind: "range" as const, range: "^22", source: "s" };
		assert.deepEqual(resolveNodeVersion(request, { agent, installed: [], index: null }), { needsIndex: true });
		assert.deepEqual(resolveNodeVersion(request, { agent, installed: [], index }), { version: "22.23.5", from: "download" });
		assert.deepEqual(resolveNodeVersion({ kind: "lts", codename: "jod", source: ".nvmrc" }, { agent, installed: [], index }), { version: "22.23.5", from: "download" });
		assert.deepEqual(resolveNodeVersion({ kind: "lts", codename: null, source: ".nvmrc" }, { agent, installed: [], index }), { version: agent, from: "agent" });
		assert.deepEqual(resolveNodeVersion({ kind: "latest", source: ".nvmrc" }, { agent, installed: [], index }), { version: "25.2.0", from: "download" });
	});

	test("an impossible range fails before any build, naming it; a release the mirror lacks for this machine does not count", () => {
		for (const range of ["^99", "20.x", "not a range"]) {
			assert.throws(
				() => resolveNodeVersion({ kind: "range", range, source: "engines.node in package.json" }, { agent, installed: [], index }),
				(error: Error & { code?: string; hint?: string }) => {
					assert.equal(error.code, "NODE_VERSION_UNAVAILABLE");
					assert.ok(error.message.startsWith(`engines.node in package.json asks for Node.js "${range}", which `), error.message);
					assert.match(error.message, /Nothing was built/);
					assert.match(error.hint ?? "", /engines.node in package.json/);
					return true;
				},
			);
		}
	});

	test("index.json: versions without the v, LTS codenames in lower case, availability per architecture", () => {
		const raw = [
			{ version: "v24.22.3", files: ["linux-x64", "linux-arm64"], lts: "Krypton" },
			{ version: "v25.2.0", files: ["linux-arm64"], lts: false },
			{ version: "bogus" },
		];
		assert.deepEqual(parseNodeIndex(raw, "x64"), [
			{ version: "24.22.3", lts: "krypton", available: true },
			{ version: "25.2.0", lts: null, available: false },
		]);
		assert.deepEqual(parseNodeIndex({ not: "an array" }, "x64"), []);
	});
});
