import { randomBytes } from "node:crypto";
import { chmodSync, closeSync, mkdirSync, openSync, readFileSync, statSync, writeSync } from "node:fs";
import { join } from "node:path";
import { DeployError } from "../../core/protocol/index.js";
import { open, SECRET_KEY_BYTES } from "../../core/protocol/sealed.js";

/** The agent's own secrets key: 32 random bytes, 0600 in its home, made on first use. */
export function agentKeyPath(root: string): string {
	return join(root, "secrets.key");
}

/**
 * The key to seal with: made on first use. Synchronous on purpose: the instance spawner
 * needs it and is synchronous. Read at each use, not kept (issue 13): a key file gone
 * from under a running daemon is noticed at once, by name, instead of the daemon going
 * on sealing values with a key nobody has after its next restart. A key file others may
 * read is refused, not silently trusted.
 */
export function agentSecretKey(root: string): Buffer {
	const path = agentKeyPath(root);
	try {
		return checked(path, readFileSync(path));
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
		return checked(path, createKey(path, root));
	}
}

/**
 * The key to open sealed values with: never made here, since a new key opens nothing
 * sealed before. A missing one is SECRETS_KEY_MISSING, naming the file and what to do.
 */
export function existingSecretKey(root: string): Buffer {
	const path = agentKeyPath(root);
	let key: Buffer;
	try {
		key = readFileSync(path);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
		throw new DeployError("SECRETS_KEY_MISSING", `The agent's secrets key ${path} is missing, so the env values sealed with it (\`deploy env\`) cannot be opened.`, lostKeyHint(root));
	}
	return checked(path, key);
}

/**
 * Opens values sealed with the agent's key. Values that do not open with the key there
 * (it was replaced: made again after the old one was lost) say which key and what to do.
 */
export function openWithAgentKey(root: string, sealed: string, context: string): string {
	const key = existingSecretKey(root);
	try {
		return open(key, sealed, context);
	} catch (error) {
		if (!(error instanceof DeployError) || error.code !== "SECRETS_UNREADABLE") throw error;
		throw new DeployError("SECRETS_UNREADABLE", `The env values sealed by this agent do not open with its secrets key ${agentKeyPath(root)}: it is not the key they were sealed with (it was replaced), or they were changed.`, lostKeyHint(root));
	}
}

/** What to do when the values do not open: the key back, else set them again. */
export function lostKeyHint(root: string): string {
	return `Put the key file back from a backup, then deploy again. If it is lost, so are the values sealed with it: on the server remove ${join(root, "apps", "<app>", "env")}, set them again with \`deploy env set\`, and deploy.`;
}

function checked(path: string, key: Buffer): Buffer {
	if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
	if (key.length !== SECRET_KEY_BYTES) {
		throw new DeployError("SECRETS_KEY_INVALID", `${path} is not a secrets key (${key.length} bytes).`, "Remove it to have a new one made; the env values sealed with it are lost and must be set again.");
	}
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
