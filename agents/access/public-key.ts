// Issue 16: a member's public key as `team add` receives it: one OpenSSH line, checked
// (a known type, base64 whose blob names the same type) so a typo fails here with a
// hint, not later as a login sshd silently refuses.
import { DeployError } from "../../core/protocol/errors.js";
import { fingerprintOf } from "../../core/protocol/ssh-fingerprint.js";

const KEY_TYPES = new Set([
	"ssh-ed25519",
	"ssh-rsa",
	"ecdsa-sha2-nistp256",
	"ecdsa-sha2-nistp384",
	"ecdsa-sha2-nistp521",
	"sk-ssh-ed25519@openssh.com",
	"sk-ecdsa-sha2-nistp256@openssh.com",
]);

export interface PublicKey {
	type: string;
	/** The key's base64, as in the file. */
	base64: string;
	/** `SHA256:…` without padding, as `ssh-keygen -l` prints it. */
	fingerprint: string;
}

const HINT = "Pass the member's public key file (`--key alice.pub`, one line like `ssh-ed25519 AAAA… alice@laptop`), never a private key.";

export function parsePublicKey(line: string): PublicKey {
	const text = line.trim();
	if (text.includes("PRIVATE KEY")) throw new DeployError("BAD_PUBLIC_KEY", "That is a private key: a member's private key never leaves their machine.", HINT);
	if (text.includes("\n")) throw new DeployError("BAD_PUBLIC_KEY", "The public key must be one line.", HINT);
	const [type = "", base64 = ""] = text.split(/\s+/);
	if (!KEY_TYPES.has(type)) throw new DeployError("BAD_PUBLIC_KEY", `"${type.slice(0, 40)}" is not an SSH public key type this server accepts.`, HINT);
	const blob = /^[A-Za-z0-9+/]+={0,2}$/.test(base64) ? Buffer.from(base64, "base64") : Buffer.alloc(0);
	// The blob starts with the type again, length-prefixed (RFC 4253 §6.6).
	const named = blob.length > 4 ? blob.subarray(4, 4 + blob.readUInt32BE(0)).toString("latin1") : "";
	if (named !== type) throw new DeployError("BAD_PUBLIC_KEY", `The key's data is not a valid ${type} key.`, HINT);
	return { type, base64, fingerprint: fingerprintOf(blob) };
}
