// Issue 6: the one domain name rule at each boundary: the rule itself, deploy.yaml,
// the wire (the deploy RPC's AppSpec and the domains.* RPC params) and the api, where
// a bad name fails before any server is contacted.
import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, test } from "vitest";
import { domainToASCII } from "node:url";
import { createApi } from "../../../core/api/index.js";
import { invokeApi } from "../../../core/api/contract.js";
import { loadProjectConfig, toAppSpec } from "../../../core/config/index.js";
import { checkDomainName, domainName } from "../../../core/protocol/domains.js";
import { DeployError, methods } from "../../../core/protocol/index.js";
import { appSpec } from "../../../core/protocol/spec.js";
import type { Providers } from "../../../core/provider.js";

const root = await mkdtemp(join(tmpdir(), "deploy-domains-"));
afterAll(() => rm(root, { recursive: true, force: true }));

const refused: [string, RegExp][] = [
	["", /must not be empty/],
	["has space.example.com", /must not contain spaces/],
	["tab\there.example.com", /must not contain spaces/],
	["-lead.example.com", /starts or ends with a hyphen \(-lead\)/],
	["trail-.example.com", /starts or ends with a hyphen \(trail-\)/],
	["app.-mid.example.com", /starts or ends with a hyphen \(-mid\)/],
	["under_score.example.com", /underscores/],
	[`${"a".repeat(64)}.example.com`, /label of 64 characters .*at most 63/],
	[`${"abcdefghij.".repeat(25)}com`, /is 278 characters long; at most 253/],
	["*.example.com", /wildcards .*DNS-01/],
	["app.*.example.com", /wildcards/],
	["localhost", /at least two labels/],
	["example", /at least two labels/],
	["a..example.com", /empty label/],
	[".example.com", /empty label/],
	["127.0.0.1", /IP address/],
	["0x7f.1", /IP address/],
	["[::1]", /bare host name/],
	["http://example.com", /bare host name/],
	["example.com:8080", /bare host name/],
	["example.com/path", /bare host name/],
	["user@example.com", /bare host name/],
	["ex%41mple.com", /bare host name/],
	["xn--zz.example.com", /not a valid host name/],
	["app.example.123", /not a valid host name/],
	["bad\u0000.example.com", /control characters/],
];

describe("checkDomainName", () => {
	test("refuses bad names, each with its reason", () => {
		for (const [input, reason] of refused) {
			const checked = checkDomainName(input);
			assert.equal(checked.ok, false, JSON.stringify(input));
			if (!checked.ok) assert.match(checked.problem, reason, JSON.stringify(input));
		}
	});

	test("a name of exactly 253 characters and labels of 63 are accepted; one more is not", () => {
		const label63 = "a".repeat(63);
		const name253 = [label63, label63, label63, "b".repeat(61)].join(".");
		assert.equal(name253.length, 253);
		assert.deepEqual(checkDomainName(name253), { ok: true, ascii: name253 });
		const checked = checkDomainName(`${name253}c`);
		assert.ok(!checked.ok && /is 254 characters long; at most 253/.test(checked.problem));
	});

	test("accepts host names, lowercases them and converts IDN to punycode like node:url's domainToASCII", () => {
		const cases: [string, string][] = [
			["example.com", "example.com"],
			["App.Example.COM", "app.example.com"],
			["a-b.c-d.example.com", "a-b.c-d.example.com"],
			["123.example.com", "123.example.com"],
			["example.com.", "example.com"],
			["bücher.example", "xn--bcher-kva.example"],
			["München.DE", "xn--mnchen-3ya.de"],
			["例え.テスト", "xn--r8jz45g.xn--zckzah"],
			["xn--bcher-kva.example", "xn--bcher-kva.example"],
			["ＥＸＡＭＰＬＥ.com", "example.com"],
		];
		for (const [input, ascii] of cases) {
			assert.deepEqual(checkDomainName(input), { ok: true, ascii }, input);
			assert.equal(domainToASCII(input.replace(/\.$/, "")), ascii, `${input}: the same as node:url`);
			assert.deepEqual(checkDomainName(ascii), { ok: true, ascii }, `${input}: idempotent`);
		}
	});

	test("an IDN label that is too long once in punycode is refused", () => {
		const label = `ü${"a".repeat(59)}`;
		assert.equal(label.length, 60);
		const checked = checkDomainName(`${label}.example.com`);
		assert.ok(!checked.ok && /label of 6\d characters .*at most 63/.test(checked.problem), JSON.stringify(checked));
	});
});

describe("the rule at each boundary", () => {
	test("the zod schema trims and normalizes, or fails with the reason", () => {
		assert.equal(domainName.parse("  Bücher.Example "), "xn--bcher-kva.example");
		const result = domainName.safeParse("-x.example.com");
		assert.ok(!result.success);
		assert.match(result.error.issues[0]?.message ?? "", /hyphen/);
	});

	test("deploy.yaml: bad domains are config errors naming the entry; good ones are deployed in punycode", async () => {
		const bad = join(root, "bad");
		await mkdir(bad);
		await writeFile(join(bad, "deploy.yaml"), "app: shop\ndomains:\n  - shop.example.com\n  - under_score.example.com\n  - '*.example.com'\n  - -x.example.com\n");
		const result = await loadProjectConfig(bad);
		assert.ok(!result.ok);
		const lines = result.errors.map((e) => `${e.path}: ${e.message}`);
		assert.equal(lines.length, 3, lines.join("\n"));
		assert.match(lines[0] ?? "", /^domains\/1: must not contain underscores/);
		assert.match(lines[1] ?? "", /^domains\/2: wildcards/);
		assert.match(lines[2] ?? "", /^domains\/3: has a label that starts or ends with a hyphen/);
		assert.equal(result.errors[0]?.line, 4, "errors point at their line");

		const good = join(root, "good");
		await mkdir(good);
		await writeFile(join(good, "deploy.yaml"), "app: shop\ndomains: [Shop.Example.com, bücher.example]\n");
		const loaded = await loadProjectConfig(good);
		assert.ok(loaded.ok);
		assert.deepEqual(toAppSpec(loaded.config).domains, ["shop.example.com", "xn--bcher-kva.example"]);
	});

	test("the agent's RPC: the deploy's AppSpec and the domains.* params refuse bad names", () => {
		assert.ok(!appSpec.safeParse({ name: "shop", domains: ["bad name.example.com"] }).success);
		assert.deepEqual(appSpec.parse({ name: "shop", domains: ["Shop.Example.com"] }).domains, ["shop.example.com"]);
		for (const method of ["domains.add", "domains.remove"] as const) {
			assert.ok(!methods[method].params.safeParse({ app: "shop", domain: "*.example.com" }).success, method);
			assert.equal(methods[method].params.parse({ app: "shop", domain: "Bücher.example" }).domain, "xn--bcher-kva.example");
		}
	});

	test("the api: a bad name is BAD_ARGUMENT before any server is contacted", async () => {
		const providers: Providers = {
			ssh: async () => assert.fail("no SSH connection may be opened for a bad name"),
			local: async () => assert.fail("no local agent may be started for a bad name"),
		};
		const api = createApi(providers);
		await assert.rejects(api.domains.add({ app: "shop", domain: "bad_name.example.com" }), (error: unknown) => {
			assert.ok(error instanceof DeployError);
			assert.equal(error.code, "BAD_ARGUMENT");
			assert.equal(error.message, '"bad_name.example.com" is not a valid domain: must not contain underscores (_): host names allow letters, digits and hyphens.');
			return true;
		});
		await assert.rejects(api.domains.remove({ app: "shop", domain: "-x.example.com" }), { code: "BAD_ARGUMENT" });
		// Over HTTP and IPC the contract checks the same rule.
		await assert.rejects(invokeApi(api, "domains.add", { app: "shop", domain: "a b.example.com" }), (error: unknown) => {
			assert.ok(error instanceof DeployError);
			assert.equal(error.code, "BAD_ARGUMENT");
			assert.match(error.message, /domain: must not contain spaces/);
			return true;
		});
	});
});
