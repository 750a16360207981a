// Host key pinning: the first connection pins the server's key, and every later one
// must present the same key. This is the whole defence against a machine in the
// middle, so a mismatch is a hard stop with a message nobody can misread.
import { createHash } from "node:crypto";
import { DeployError } from "../../core/protocol/errors.js";

/** OpenSSH's fingerprint format, as `ssh-keygen -lf` prints it: `SHA256:<base64 without padding>`. */
export function fingerprintOf(hostKey: Buffer): string {
	return `SHA256:${createHash("sha256").update(hostKey).digest("base64").replace(/=+$/, "")}`;
}

export interface HostKeyPolicy {
	/** The pinned fingerprint, or null for a server seen for the first time. */
	pinned: string | null;
	acceptNew: boolean;
	/** Asks a person whether to trust a new fingerprint (interactive use). */
	confirm?: (fingerprint: string) => Promise<boolean>;
}

/** Resolves when the key may be trusted; rejects with HOST_KEY_CHANGED or HOST_KEY_UNKNOWN. */
export async function checkHostKey(where: string, fingerprint: string, policy: HostKeyPolicy): Promise<void> {
	if (policy.pinned !== null) {
		if (policy.pinned === fingerprint) return;
		throw hostKeyChanged(where, policy.pinned, fingerprint);
	}
	if (policy.acceptNew) return;
	if (policy.confirm && (await policy.confirm(fingerprint))) return;
	throw new DeployError(
		"HOST_KEY_UNKNOWN",
		`The host key of ${where} is not known yet; its fingerprint is ${fingerprint}.`,
		"Check the fingerprint on the server (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub), then run again with --accept-new-host-key to pin it.",
		// details[0] is the fingerprint alone, so a UI can show it and ask before retrying
		// servers.add with acceptNewHostKey: true (the message is for people, not parsing).
		[fingerprint],
	);
}

function hostKeyChanged(where: string, expected: string, received: string): DeployError {
	return new DeployError(
		"HOST_KEY_CHANGED",
		[
			`WARNING: the host key of ${where} has CHANGED. Nothing was sent to it.`,
			`  expected: ${expected}`,
			`  received: ${received}`,
			"Someone could be intercepting the connection (a man-in-the-middle attack), or the server was reinstalled or its keys were regenerated.",
		].join("\n"),
		"If you know why the key changed, re-pin it deliberately: remove the server and add it again (after checking the new fingerprint on the server itself).",
	);
}
