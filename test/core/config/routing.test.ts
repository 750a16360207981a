// Issue 6: deploy.yaml's redirects, rewrites, headers and HSTS: what a user writes, what
// the agent receives, and bad rules refused with the key's path (the config is checked
// before anything else happens, so a refused rule changes nothing anywhere).
import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, test } from "vitest";
import { loadProjectConfig, toAppSpec } from "../../../core/config/index.js";
import { appSpec } from "../../../core/protocol/spec.js";

const root = await mkdtemp(join(tmpdir(), "deploy-routing-config-"));
afterAll(() => rm(root, { recursive: true, force: true }));

let count = 0;
async function load(yaml: string) {
	const dir = join(root, `p${count++}`);
	await mkdir(dir);
	await writeFile(join(dir, "deploy.yaml"), `app: shop\ndomains: [example.com, www.example.com]\n${yaml}`);
	return loadProjectConfig(dir);
}

async function errorsOf(yaml: string): Promise<string[]> {
	const result = await load(yaml);
	assert.equal(result.ok, false, "expected the config to be refused");
	return result.ok ? [] : result.errors.map((error) => `${error.path}: ${error.message}`);
}

describe("deploy.yaml HTTP rules", () => {
	test("every kind of rule reaches the agent's spec as written", async () => {
		const result = await load(
			[
				"hostRedirects:",
				"  - { from: www.example.com, to: example.com }",
				"redirects:",
				"  - { from: /blog/*, to: /posts/*, status: 302 }",
				"  - { from: /docs/*, to: 'https://docs.example.org/*' }",
				"rewrites:",
				"  - { from: /api/*, to: /v2/* }",
				"headers:",
				"  - remove: [X-Powered-By]",
				"  - path: /assets/*",
				"    set: { Cache-Control: 'public, max-age=31536000, immutable' }",
				"hsts: { maxAge: 63072000, includeSubDomains: true, preload: true }",
			].join("\n"),
		);
		assert.ok(result.ok, JSON.stringify(result));
		assert.deepEqual(toAppSpec(result.config).rules, {
			hostRedirects: [{ from: "www.example.com", to: "example.com", status: 301 }],
			redirects: [
				{ from: "/blog/*", to: "/posts/*", status: 302 },
				{ from: "/docs/*", to: "https://docs.example.org/*", status: 301 },
			],
			rewrites: [{ from: "/api/*", to: "/v2/*" }],
			headers: [
				{ set: {}, remove: ["X-Powered-By"] },
				{ path: "/assets/*", set: { "Cache-Control": "public, max-age=31536000, immutable" }, remove: [] },
			],
			hsts: { maxAge: 63072000, includeSubDomains: true, preload: true },
		});
	});

	test("no rules: the spec carries none and the agent applies the default HSTS; hsts.enabled false sends false", async () => {
		const plain = await load("");
		assert.ok(plain.ok);
		assert.equal(toAppSpec(plain.config).rules, undefined);
		const off = await load("hsts: { enabled: false }");
		assert.ok(off.ok);
		assert.deepEqual(toAppSpec(off.config).rules, { hostRedirects: [], redirects: [], rewrites: [], headers: [], hsts: false });
	});

	const refused: [string, string, RegExp][] = [
		["a header name that is not a token", "headers:\n  - set: { 'X Bad': '1' }", /^headers\/0\/set\/X Bad: must be a header name/],
		["a header value with CR/LF", 'headers:\n  - set: { X-A: "a\\r\\nSet-Cookie: x=1" }', /^headers\/0\/set\/X-A: must be printable ASCII on one line/],
		["an empty header value", "headers:\n  - set: { X-A: '' }", /^headers\/0\/set\/X-A: must not be empty \(to drop a header, list it under remove\)/],
		["Strict-Transport-Security as a header", "headers:\n  - set: { Strict-Transport-Security: max-age=1 }", /^headers\/0\/set\/Strict-Transport-Security: is set by `hsts`/],
		["a header both set and removed", "headers:\n  - { set: { X-A: '1' }, remove: [x-a] }", /^headers\/0\/remove: X-A is both set and removed/],
		["a redirect to itself", "redirects:\n  - { from: /a, to: /a }", /^redirects\/0\/to: is a redirect loop: \/a → \/a/],
		["a redirect loop over two rules", "redirects:\n  - { from: /a, to: /b }\n  - { from: /b, to: /a }", /^redirects\/0\/to: is a redirect loop: \/a → \/b → \/a/],
		["a redirect into its own subtree", "redirects:\n  - { from: /a/*, to: /a/b/* }", /^redirects\/0\/to: is a redirect loop: \/a → \/a\/b → \/a\/b\/b/],
		["a catch-all redirect to a page it catches", "redirects:\n  - { from: /*, to: /index.html }", /^redirects\/0\/to: is a redirect loop/],
		["a status that is not a redirect", "redirects:\n  - { from: /a, to: /b, status: 200 }", /^redirects\/0\/status: must be a redirect status: 301, 302, 307 or 308/],
		["a path not starting with /", "rewrites:\n  - { from: api/*, to: /v2/* }", /^rewrites\/0\/from: must start with \//],
		["a * in the middle of a path", "rewrites:\n  - { from: /a/*/b, to: /c }", /^rewrites\/0\/from: must be a path like \/old or \/blog\/\*/],
		["a query in a path", "redirects:\n  - { from: '/a?x=1', to: /b }", /^redirects\/0\/from: must be a path like/],
		["a /* target without a /* source", "rewrites:\n  - { from: /a, to: /b/* }", /^rewrites\/0\/to: can end in \/\* only when from does/],
		["a host redirected to itself", "hostRedirects:\n  - { from: example.com, to: example.com }", /^hostRedirects\/0\/to: redirects example.com to itself/],
		[
			"a host redirect loop",
			"hostRedirects:\n  - { from: www.example.com, to: example.com }\n  - { from: example.com, to: www.example.com }",
			/^hostRedirects\/0\/to: is a redirect loop: www.example.com → example.com → www.example.com/,
		],
		["a host with a scheme", "hostRedirects:\n  - { from: 'https://www.example.com', to: example.com }", /^hostRedirects\/0\/from: must be a lowercase host name/],
		["HSTS preload without includeSubDomains", "hsts: { preload: true }", /^hsts\/preload: preload needs includeSubDomains: true/],
		["a misspelled key", "redirects:\n  - { form: /a, to: /b }", /^redirects\/0\/form: unknown key \(did you mean "from"\?\)/],
	];
	for (const [what, yaml, expected] of refused) {
		test(`refused: ${what}`, async () => {
			const errors = await errorsOf(yaml);
			assert.ok(
				errors.some((error) => expected.test(error)),
				`expected ${expected} among:\n${errors.join("\n")}`,
			);
		});
	}

	test("the agent checks the same rules on its RPC input", () => {
		const result = appSpec.safeParse({ name: "shop", rules: { redirects: [{ from: "/a", to: "/a", status: 301 }] } });
		assert.equal(result.success, false);
		assert.deepEqual(result.error?.issues.map((issue) => [issue.path.join("/"), issue.message]), [["rules/redirects/0/to", "is a redirect loop: /a → /a"]]);
	});
});
