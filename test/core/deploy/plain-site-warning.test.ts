// Issue 14, item 7: a folder of plain files is served whole; its dotfiles would be public.
import assert from "node:assert/strict";
import { describe, test } from "vitest";
import { plainSiteWarning } from "../../../core/deploy/plain-site-warning.js";
import { appSpec } from "../../../core/protocol/index.js";

const entries = (...paths: string[]) => ({ has: (path: string) => paths.includes(path), manifest: () => paths.map((path) => ({ path, mode: "100644" as const, id: "a".repeat(40) })) });
const spec = (extra: object = {}) => appSpec.parse({ name: "site", ...extra });

describe("the warning for a plain folder's dotfiles", () => {
	test("names the dotfiles of the served folder, not .well-known or .deployignore", () => {
		assert.equal(
			plainSiteWarning(spec(), entries(".deployignore", ".env", ".well-known/security.txt", "conf/.htpasswd", "index.html")),
			"this folder is served as it is, so .env, conf/.htpasswd will be public; list what must stay private in .deployignore",
		);
		assert.equal(plainSiteWarning(spec(), entries("public/index.html", "public/.env", ".env")), "public/ is served as it is, so public/.env will be public; list what must stay private in .deployignore");
	});

	test("static.dir: . written by deploy init warns the same", () => {
		assert.match(plainSiteWarning(spec({ static: { dir: "." } }), entries(".env", "index.html")) ?? "", /\.env will be public/);
	});

	test("nothing to say: no dotfiles, a package.json (a build makes the folder), a web command", () => {
		assert.equal(plainSiteWarning(spec(), entries("index.html", "style.css")), null);
		assert.equal(plainSiteWarning(spec(), entries(".env", "index.html", "package.json")), null);
		assert.equal(plainSiteWarning(spec({ processes: { web: { command: "./serve" } } }), entries(".env", "index.html")), null);
	});
});
