// Issue 17, item 3: access tokens and the rotation of the keys that sign them, on real
// files in a temp home, with the clock moved by the test: a key signs for 30 days, the
// next one then signs, and the old one still verifies its tokens until they expire.
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeProtectedHeader } from "jose";
import { afterEach, beforeEach, describe, test } from "vitest";
import { issueAccessToken, verifyAccessToken } from "../../../agents/auth/access-tokens.js";
import { DeployError } from "../../../core/protocol/errors.js";

const DAY = 86_400_000;
const refusedWith = (code: string) => (error: unknown) => error instanceof DeployError && error.code === code;

describe("access tokens", () => {
	let home: string;
	const start = Date.parse("2026-12-04T12:00:00Z");
	beforeEach(async () => {
		home = await mkdtemp(join(tmpdir(), "deploy-tokens-"));
	});
	afterEach(async () => {
		await rm(home, { recursive: true, force: true });
	});

	test("a token names its member, session and key; it is refused 24 hours after it was issued", async () => {
		const { token, expiresAt } = await issueAccessToken(home, "carol", "family-1", start);
		assert.equal(expiresAt, new Date(start + DAY).toISOString());
		assert.deepEqual(await verifyAccessToken(home, token, start + DAY - 1000), { member: "carol", family: "family-1", issuedAt: start });
		await assert.rejects(verifyAccessToken(home, token, start + DAY), refusedWith("TOKEN_EXPIRED"));
	});

	test("a token changed by one character, or signed by a key this server does not have, is refused", async () => {
		const { token } = await issueAccessToken(home, "carol", "family-1", start);
		const [header, payload, signature] = token.split(".");
		const forged = `${header}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, "base64url").toString()), sub: "admin" })).toString("base64url")}.${signature}`;
		await assert.rejects(verifyAccessToken(home, forged, start), refusedWith("TOKEN_INVALID"));
		const otherHome = await mkdtemp(join(tmpdir(), "deploy-tokens-other-"));
		const elsewhere = (await issueAccessToken(otherHome, "carol", "family-1", start)).token;
		await rm(otherHome, { recursive: true, force: true });
		await assert.rejects(verifyAccessToken(home, elsewhere, start), refusedWith("TOKEN_INVALID"));
	});

	test("after 30 days a new key signs; the old key's tokens still verify until they expire; a later rotation drops it", async () => {
		const first = await issueAccessToken(home, "carol", "f", start);
		const old = await issueAccessToken(home, "carol", "f", start + 30 * DAY - 1000);
		assert.equal(decodeProtectedHeader(old.token).kid, decodeProtectedHeader(first.token).kid, "one key for 30 days");
		const next = await issueAccessToken(home, "carol", "f", start + 30 * DAY + 1000);
		const [oldKid, nextKid] = [decodeProtectedHeader(old.token).kid, decodeProtectedHeader(next.token).kid];
		assert.notEqual(oldKid, nextKid, "rotated");
		assert.equal((await verifyAccessToken(home, old.token, start + 30 * DAY + 12 * 3_600_000)).member, "carol");
		assert.equal((await verifyAccessToken(home, next.token, start + 30 * DAY + 12 * 3_600_000)).member, "carol");
		await issueAccessToken(home, "carol", "f", start + 61 * DAY);
		const kids = (JSON.parse(await readFile(join(home, "auth", "signing-keys.json"), "utf8")) as { keys: { kid: string }[] }).keys.map((k) => k.kid);
		assert.equal(kids.length, 2);
		assert.ok(!kids.includes(String(oldKid)), "the first key is gone");
		assert.equal(kids[0], nextKid);
	});
});
