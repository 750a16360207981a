// Issue 18: the webhook signature check (agents/hooks/signature.ts), against the example
// GitHub documents: secret "It's a Secret to Everybody", body "Hello, World!".
import { createHmac } from "node:crypto";
import { describe, expect, test } from "vitest";
import { githubSignatureOk } from "../../../agents/hooks/signature.js";

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
