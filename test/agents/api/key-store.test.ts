// Issue 17: the API key store on real files in a temp home: a key is shown once and kept
// only as its hash (0600), found in constant time, refused at once when revoked or expired.
import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, test } from "vitest";
import { DeployError } from "../../../core/protocol/errors.js";
import { authenticateKey, createKey, keyStorePath, listKeys, revokeKey } from "../../../agents/api/key-store.js";

describe("API key store", () => {
	let home: string;
	beforeEach(async () => {
		home = await mkdtemp(join(tmpdir(), "deploy-keys-"));
	});
	afterEach(async () => {
		await rm(home, { recursive: true, force: true });
	});

	const refusal = async (key: string, now?: number) => {
		try {
			await authenticateKey(home, key, now);
		} catch (error) {
			assert.ok(error instanceof DeployError);
			return error;
		}
		assert.fail("the key was accepted");
	};

	test("a key is dp_ + 32 random bytes, returned once; the file holds its sha256 only, 0600", async () => {
		const { key, info } = await createKey(home, { name: "ci", team: "acme", scope: "deploy", apps: ["shop"] });
		assert.match(key, /^dp_[A-Za-z0-9_-]{43}$/);
		assert.equal(info.expiresAt, null);
		const text = await readFile(keyStorePath(home), "utf8");
		assert.ok(!text.includes(key) && !text.includes(key.slice(3)), "the key is stored in clear");
		assert.equal((await stat(keyStorePath(home))).mode & 0o777, 0o600);
		assert.deepEqual(await readdir(home), ["api-keys.json"], "no temp file left");
		const listed = await listKeys(home);
		assert.deepEqual(listed.map((k) => [k.name, k.team, k.scope, k.apps]), [["ci", "acme", "deploy", ["shop"]]]);
		assert.ok(!JSON.stringify(listed).includes(key));
	});

	test("the key authenticates and its use is noted; a wrong or unprefixed key is API_KEY_INVALID", async () => {
		const { key } = await createKey(home, { name: "ci", team: "acme", scope: "read", apps: null });
		const now = Date.parse("2026-12-04T03:00:00Z");
		assert.equal((await authenticateKey(home, key, now)).name, "ci");
		assert.equal((await listKeys(home))[0]!.lastUsedAt, "2026-12-04T03:00:00.000Z");
		assert.equal((await refusal(`${key.slice(0, -1)}x`)).code, "API_KEY_INVALID");
		assert.equal((await refusal(key.slice(3))).code, "API_KEY_INVALID");
		assert.ok(!(await refusal(`${key}x`)).message.includes(key), "the words never repeat the key");
	});

	test("an expired key is refused from the moment it expires (an injected clock)", async () => {
		const made = Date.parse("2026-12-04T03:00:00Z");
		const { key } = await createKey(home, { name: "short", team: "acme", scope: "read", apps: null, expiresInSeconds: 60 }, made);
		assert.equal((await authenticateKey(home, key, made + 59_999)).name, "short");
		const error = await refusal(key, made + 60_000);
		assert.equal(error.code, "API_KEY_EXPIRED");
		assert.match(error.hint ?? "", /deploy keys create/);
	});

	test("a revoked key is refused on the next request; its name is free again", async () => {
		const { key } = await createKey(home, { name: "ci", team: "acme", scope: "write", apps: null });
		const revoked = await revokeKey(home, "ci", "acme");
		assert.ok(revoked.revokedAt);
		assert.equal((await refusal(key)).code, "API_KEY_REVOKED");
		const again = await createKey(home, { name: "ci", team: "acme", scope: "write", apps: null });
		assert.equal((await authenticateKey(home, again.key)).name, "ci");
		assert.equal((await refusal(key)).code, "API_KEY_INVALID", "the old key is gone with its record");
	});

	test("a name in use is API_KEY_EXISTS; revoking another team's key is API_KEY_UNKNOWN; nothing is written", async () => {
		await createKey(home, { name: "ci", team: "acme", scope: "read", apps: null });
		const before = await readFile(keyStorePath(home), "utf8");
		await assert.rejects(createKey(home, { name: "ci", team: "other", scope: "read", apps: null }), (e: DeployError) => e.code === "API_KEY_EXISTS");
		await assert.rejects(revokeKey(home, "ci", "other"), (e: DeployError) => e.code === "API_KEY_UNKNOWN");
		assert.equal(await readFile(keyStorePath(home), "utf8"), before);
	});
});
