import { randomBytes } from "node:crypto";
import { chmodSync, closeSync, mkdirSync, openSync, readFileSync, statSync, writeSync } from "node:fs";
import { join } from "node:path";
import { DeployError } from "../../core/protocol/index.js";
import { SECRET_KEY_BYTES } from "../../core/protocol/sealed.js";

/** The agent's own secrets key: 32 random bytes, 0600 in its home, made on first use. */
export function agentKeyPath(root: string): string {
	return join(root, "secrets.key");
}

const cache = new Map<string, Buffer>();

/**
 * Synchronous on purpose: the instance spawner needs it and is synchronous. Read once
 * per daemon. A key file others may read is refused, not silently trusted.
 */
export function agentSecretKey(root: string): Buffer {
	const known = cache.get(root);
	if (known) return known;
	const path = agentKeyPath(root);
	let key: Buffer;
	try {
		key = readFileSync(path);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
		key = createKey(path, root);
	}
	if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
	if (key.length !== SECRET_KEY_BYTES) {
		throw new DeployError("SECRETS_KEY_INVALID", `${path} is not a secrets key (${key.length} bytes).`, "Remove it to have a new one made; the env values sealed with it are lost and must be set again.");
	}
	cache.set(root, key);
	return key;
}

function createKey(path: string, root: string): Buffer {
	mkdirSync(root, { recursive: true, mode: 0o700 });
	const key = randomBytes(SECRET_KEY_BYTES);
	try {
		// wx: of two daemons racing, one writes the key and the other reads it.
		const fd = openSync(path, "wx", 0o600);
		try {
			writeSync(fd, key);
		} finally {
			closeSync(fd);
		}
		return key;
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === "EEXIST") return readFileSync(path);
		throw error;
	}
}
