import { createCipheriv, createDecipheriv, createHmac, randomBytes } from "node:crypto";
import { DeployError } from "./errors.js";

// The one at-rest format for secrets, used by the client (its local cache) and the
// agent (its env files, release specs, state.json) with different keys. Not exported
// from core/protocol/index.ts: the Electron preload bundles that, and has no node:crypto.

const VERSION = "v1";
export const SECRET_KEY_BYTES = 32;

/**
 * AES-256-GCM: `v1.<iv>.<tag>.<ciphertext>` (base64url). `context` is bound as
 * additional data, so a sealed value moved to another app or purpose fails to open.
 */
export function seal(key: Buffer, plaintext: string, context = ""): string {
	checkKey(key);
	const iv = randomBytes(12);
	const cipher = createCipheriv("aes-256-gcm", key, iv);
	cipher.setAAD(Buffer.from(context));
	const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
	return [VERSION, iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), body.toString("base64url")].join(".");
}

/** The plaintext; a wrong key, a wrong context or a changed byte is SECRETS_UNREADABLE, never garbage. */
export function open(key: Buffer, sealed: string, context = ""): string {
	checkKey(key);
	const [version, iv, tag, body] = sealed.split(".");
	if (version !== VERSION || iv === undefined || tag === undefined || body === undefined) {
		throw new DeployError("SECRETS_UNREADABLE", "The encrypted secrets are not in a format this version reads.", "Set the values again with `deploy env set`.");
	}
	try {
		const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
		decipher.setAAD(Buffer.from(context));
		decipher.setAuthTag(Buffer.from(tag, "base64url"));
		return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
	} catch {
		throw new DeployError(
			"SECRETS_UNREADABLE",
			"The encrypted secrets cannot be decrypted with this key (the key was replaced, or the file was changed).",
			"If the key is lost the values are too: set them again with `deploy env set` or `deploy env import`.",
		);
	}
}

/** A keyed fingerprint of secrets: says whether two sets are equal without letting anyone guess a value from it. */
export function fingerprint(key: Buffer, text: string): string {
	return createHmac("sha256", key).update(text).digest("hex").slice(0, 32);
}

function checkKey(key: Buffer): void {
	if (key.length !== SECRET_KEY_BYTES) throw new DeployError("SECRETS_KEY_INVALID", `The secrets key must be ${SECRET_KEY_BYTES} bytes, not ${key.length}.`, "Remove the key file to have a new one made (values sealed with the old one are lost).");
}
