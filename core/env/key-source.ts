import { randomBytes } from "node:crypto";
import { chmod, mkdir, readFile, stat, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { DeployError } from "../protocol/errors.js";
import { SECRET_KEY_BYTES } from "../protocol/sealed.js";

/**
 * Where the key that seals env values on this machine comes from. One small seam:
 * the CLI uses a 0600 key file; the desktop hands in its OS keychain (Electron's
 * safeStorage) through `setKeySource` before the first call.
 */
export interface SecretKeySource {
	/** For messages: "key file ~/.local/share/deploy/secrets.key", "the OS keychain". */
	readonly description: string;
	load(): Promise<Buffer>;
}

let current: SecretKeySource | null = null;

export function setKeySource(source: SecretKeySource): void {
	current = source;
}

/** The key source in use: the one handed in, else the key file under the deploy home. */
export async function localKeySource(): Promise<SecretKeySource> {
	if (current) return current;
	const { deployHome } = await import("../paths.js");
	return keyFileSource(join(deployHome(), "secrets.key"));
}

/** 32 random bytes in a 0600 file, made on first use; a file others can read is made private again. */
export function keyFileSource(path: string): SecretKeySource {
	return {
		description: `key file ${path}`,
		async load() {
			const existing: Buffer | null = await readFile(path).catch((error: NodeJS.ErrnoException) => {
				if (error.code === "ENOENT") return null;
				throw error;
			});
			const key = existing ?? (await createKeyFile(path));
			if (((await stat(path)).mode & 0o077) !== 0) await chmod(path, 0o600);
			if (key.length !== SECRET_KEY_BYTES) throw new DeployError("SECRETS_KEY_INVALID", `${path} is not a secrets key.`, "Remove it: a new one is made, and values cached with the old one are fetched again from the server.");
			return key;
		},
	};
}

async function createKeyFile(path: string): Promise<Buffer> {
	await mkdir(dirname(path), { recursive: true, mode: 0o700 });
	const key = randomBytes(SECRET_KEY_BYTES);
	try {
		await writeFile(path, key, { mode: 0o600, flag: "wx" });
		return key;
	} catch (error) {
		// Another process made it first: use theirs.
		if ((error as NodeJS.ErrnoException).code === "EEXIST") return readFile(path);
		throw error;
	}
}

/** What Electron's safeStorage offers; typed here so core never imports electron. */
export interface SafeStorageLike {
	isEncryptionAvailable(): boolean;
	encryptString(plain: string): Buffer;
	decryptString(encrypted: Buffer): string;
}

/**
 * The desktop's source: the data key kept in a file, encrypted by the OS keychain
 * (safeStorage). Falls back to the plain key file when no keychain is available.
 */
export function safeStorageKeySource(safeStorage: SafeStorageLike, path: string, fallback: SecretKeySource): SecretKeySource {
	return {
		description: "the OS keychain",
		async load() {
			if (!safeStorage.isEncryptionAvailable()) return fallback.load();
			const stored = await readFile(path).catch(() => null);
			if (stored) return Buffer.from(safeStorage.decryptString(stored), "base64");
			const key = randomBytes(SECRET_KEY_BYTES);
			await mkdir(dirname(path), { recursive: true, mode: 0o700 });
			await writeFile(path, safeStorage.encryptString(key.toString("base64")), { mode: 0o600 });
			return key;
		},
	};
}
