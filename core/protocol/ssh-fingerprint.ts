// OpenSSH's key fingerprint, for the host keys the client pins (providers/ssh) and the
// members' keys the agent installs (agents/access): here because the agent imports only
// core/protocol. Not exported from index.ts: the Electron preload bundles that, and has no node:crypto.
import { createHash } from "node:crypto";

/** As `ssh-keygen -lf` prints it: `SHA256:<base64 of the key blob's sha256, without padding>`. */
export function fingerprintOf(keyBlob: Uint8Array): string {
	return `SHA256:${createHash("sha256").update(keyBlob).digest("base64").replace(/=+$/, "")}`;
}
