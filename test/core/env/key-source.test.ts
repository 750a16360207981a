// The sealing of env values at rest, with real files and node:crypto: nothing mocked.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, test } from "vitest";
import { keyFileSource, safeStorageKeySource } from "../../../core/env/key-source.js";
import { DeployError } from "../../../core/protocol/index.js";
import { open, seal } from "../../../core/protocol/sealed.js";

describe("sealed env values", () => {
	const dirs: string[] = [];
	const tempDir = async () => {
		const dir = await mkdtemp(join(tmpdir(), "deploy-secrets-"));
		dirs.push(dir);
		return dir;
	};
	afterAll(async () => {
		for (const dir of dirs) await rm(dir, { recursive: true, force: true });
	});

	test("a round trip gives the value back, and the sealed text does not hold it", () => {
		const key = randomBytes(32);
		const value = JSON.stringify({ GREETING: "hi there, ünïcode ✓" });
		const sealed = seal(key, value, "env:app:production");
		assert.ok(!sealed.includes("hi there"));
		assert.notEqual(seal(key, value, "env:app:production"), sealed, "a fresh IV each time");
		assert.equal(open(key, sealed, "env:app:production"), value);
	});

	test("a wrong key, another context or a changed byte fails clearly, never with garbage", () => {
		const key = randomBytes(32);
		const sealed = seal(key, "secret", "env:a:production");
		const expectUnreadable = (fn: () => unknown) =>
			assert.throws(fn, (error: unknown) => error instanceof DeployError && error.code === "SECRETS_UNREADABLE" && /cannot be decrypted/.test(error.message) && !error.message.includes("secret\""));
		expectUnreadable(() => open(randomBytes(32), sealed, "env:a:production"));
		expectUnreadable(() => open(key, sealed, "env:b:production"));
		const parts = sealed.split(".");
		const body = Buffer.from(parts[3]!, "base64url");
		body[0]! ^= 1;
		expectUnreadable(() => open(key, [parts[0], parts[1], parts[2], body.toString("base64url")].join("."), "env:a:production"));
		assert.throws(() => open(key, "not sealed"), { code: "SECRETS_UNREADABLE" });
	});

	test("the key file is made 0600 on first use, kept after, and made private again if opened up", async () => {
		const path = join(await tempDir(), "nested", "secrets.key");
		const source = keyFileSource(path);
		const key = await source.load();
		assert.equal(key.length, 32);
		assert.equal((await stat(path)).mode & 0o777, 0o600);
		assert.deepEqual(await source.load(), key);
		await chmod(path, 0o644);
		assert.deepEqual(await keyFileSource(path).load(), key);
		assert.equal((await stat(path)).mode & 0o777, 0o600);
	});

	test("a key file of the wrong size is refused", async () => {
		const path = join(await tempDir(), "secrets.key");
		await writeFile(path, "short", { mode: 0o600 });
		await assert.rejects(keyFileSource(path).load(), { code: "SECRETS_KEY_INVALID" });
	});

	// Electron's safeStorage cannot run here (no Electron binary): a stand-in with the same
	// three methods, encrypting with its own key, checks that the data key never sits in clear.
	test("with a keychain (safeStorage), the data key is stored only encrypted by it", async () => {
		const dir = await tempDir();
		const osKey = randomBytes(32);
		const keychain = {
			isEncryptionAvailable: () => true,
			encryptString: (plain: string) => Buffer.from(seal(osKey, plain)),
			decryptString: (encrypted: Buffer) => open(osKey, encrypted.toString()),
		};
		const path = join(dir, "secrets.key.keychain");
		const source = safeStorageKeySource(keychain, path, keyFileSource(join(dir, "secrets.key")));
		const key = await source.load();
		assert.deepEqual(await source.load(), key);
		assert.ok(!(await readFile(path)).includes(key.toString("base64")));
		assert.equal((await stat(path)).mode & 0o777, 0o600);
	});
});
