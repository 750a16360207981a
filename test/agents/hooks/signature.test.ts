// Issue 18: the webhook signature check (agents/hooks/signature.ts), against the example
// GitHub documents: secret "It's a Secret to Everybody", body "Hello, World!".
import { createHmac } from "node:crypto";
import { describe, expect, test } from "vitest";
import { giteaSignatureOk, githubSignatureOk, gitlabTokenOk } from "../../../agents/hooks/signature.js";

const SECRET = "It's a Secret to Everybody";
const BODY = Buffer.from("Hello, World!");
const GITHUB_EXAMPLE = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

describe("githubSignatureOk", () => {
	test("accepts GitHub's documented example", () => {
		expect(githubSignatureOk(SECRET, BODY, GITHUB_EXAMPLE)).toBe(true);
	});

	test("refuses another secret, another body, a changed digit", () => {
		expect(githubSignatureOk("another secret", BODY, GITHUB_EXAMPLE)).toBe(false);
		expect(githubSignatureOk(SECRET, Buffer.from("Hello, World?"), GITHUB_EXAMPLE)).toBe(false);
		expect(githubSignatureOk(SECRET, BODY, `${GITHUB_EXAMPLE.slice(0, -1)}8`)).toBe(false);
	});

	test("refuses a missing, repeated, sha1 or malformed header without throwing", () => {
		const sha1 = `sha1=${createHmac("sha1", SECRET).update(BODY).digest("hex")}`;
		for (const header of [undefined, "", [GITHUB_EXAMPLE, GITHUB_EXAMPLE], sha1, "sha256=", "sha256=zz", `${GITHUB_EXAMPLE}00`, GITHUB_EXAMPLE.slice(7)]) {
			expect(githubSignatureOk(SECRET, BODY, header)).toBe(false);
		}
	});

	test("accepts the uppercase hex of the same digest", () => {
		expect(githubSignatureOk(SECRET, BODY, `sha256=${GITHUB_EXAMPLE.slice(7).toUpperCase()}`)).toBe(true);
	});
});

describe("giteaSignatureOk (Gitea, Forgejo)", () => {
	const hex = createHmac("sha256", SECRET).update(BODY).digest("hex");
	test("accepts the bare hex HMAC-SHA256 of the body, refuses another secret, body or form", () => {
		expect(giteaSignatureOk(SECRET, BODY, hex)).toBe(true);
		expect(giteaSignatureOk("another", BODY, hex)).toBe(false);
		expect(giteaSignatureOk(SECRET, Buffer.from("x"), hex)).toBe(false);
		for (const header of [undefined, "", `sha256=${hex}`, hex.slice(2), [hex]]) expect(giteaSignatureOk(SECRET, BODY, header)).toBe(false);
	});
});

describe("gitlabTokenOk", () => {
	test("accepts the secret itself, refuses anything else, of any length", () => {
		expect(gitlabTokenOk(SECRET, SECRET)).toBe(true);
		for (const header of [undefined, "", `${SECRET} `, SECRET.slice(1), "x".repeat(1000), [SECRET]]) expect(gitlabTokenOk(SECRET, header)).toBe(false);
	});
});
