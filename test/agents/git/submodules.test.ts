// Issue 18: which submodule is fetched from where, as data; the refusals name the submodule.
import assert from "node:assert/strict";
import { test } from "vitest";
import { parseModules, planSubmodules } from "../../../agents/git/submodules.js";

const c = "c".repeat(40);
const listing = (entries: Record<string, string>) =>
	Object.entries(entries)
		.map(([key, value]) => `${key}\n${value}\0`)
		.join("");

test(".gitmodules read by path; a name with dots is kept whole", () => {
	const modules = parseModules(listing({ "submodule.vendor.lib.path": "vendor/lib", "submodule.vendor.lib.url": "https://git.example.com/acme/lib.git", "submodule.x.path": "x", "core.bare": "false" }));
	assert.deepEqual([...modules], [["vendor/lib", "https://git.example.com/acme/lib.git"]]);
});

test("absolute URLs as written; relative ones resolved against the repository's URL as git does (URL or scp-like)", () => {
	const urls = new Map([
		["a", "git://127.0.0.1:9418/lib.git"],
		["b", "../lib.git"],
		["c", "./sub/more.git"],
	]);
	const gitlinks = [...urls.keys()].map((path) => ({ path, commit: c }));
	assert.deepEqual(
		planSubmodules(gitlinks, urls, "https://git.example.com/acme/shop.git").map((m) => m.url),
		["git://127.0.0.1:9418/lib.git", "https://git.example.com/acme/lib.git", "https://git.example.com/acme/shop.git/sub/more.git"],
	);
	assert.equal(planSubmodules([{ path: "b", commit: c }], urls, "git@git.example.com:acme/shop.git")[0]?.url, "git@git.example.com:acme/lib.git");
});

test("refused with the submodule named: no URL, a relative URL in a push, a local path or a URL with a password", () => {
	const refuses = (urls: Map<string, string>, base: string | null, pattern: RegExp) =>
		assert.throws(
			() => planSubmodules([{ path: "vendor/lib", commit: c }], urls, base),
			(error: Error & { code?: string }) => error.code === "SUBMODULE_FAILED" && /The submodule vendor\/lib /.test(error.message) && pattern.test(error.message),
		);
	refuses(new Map(), null, /has no url/);
	refuses(new Map([["vendor/lib", "../lib.git"]]), null, /relative URL \.\.\/lib\.git, and a push comes from no repository URL/);
	refuses(new Map([["vendor/lib", "file:///etc"]]), "https://git.example.com/acme/shop.git", /may not fetch/);
	refuses(new Map([["vendor/lib", "/srv/lib.git"]]), null, /may not fetch/);
	refuses(new Map([["vendor/lib", "https://user:token@git.example.com/lib.git"]]), null, /carries credentials/);
});
