// Host key pinning: the first connection pins the server's key, and every later one
// must present the same key. This is the whole defence against a machine in the
// middle, so a mismatch is a hard stop with a message nobody can misread. On first
// contact, the user's known_hosts files (known-hosts.ts) speak before anyone is asked:
// the key ssh already trusts there is pinned, another key of its type is refused.
import { DeployError } from "../../core/protocol/errors.js";
import { fingerprintOf } from "../../core/protocol/ssh-fingerprint.js";
import { type KnownHostKey, keyTypeOf } from "./known-hosts.js";

export { fingerprintOf };

export interface HostKeyPolicy {
	/** The pinned fingerprint, or null for a server seen for the first time. */
	pinned: string | null;
	acceptNew: boolean;
	/** Asks a person whether to trust a new fingerprint (interactive use). */
	confirm?: (fingerprint: string) => Promise<boolean>;
	/** What the user's known_hosts files list for this host; consulted only when nothing is pinned. */
	known?: KnownHostKey[];
	/** The hint of HOST_KEY_UNKNOWN, when not the usual one (a jump host cannot be pinned). */
	unknownHint?: string;
}

/** Resolves when the key may be trusted; rejects with HOST_KEY_CHANGED, HOST_KEY_REVOKED or HOST_KEY_UNKNOWN. */
export async function checkHostKey(where: string, key: Buffer, policy: HostKeyPolicy): Promise<void> {
	const fingerprint = fingerprintOf(key);
	if (policy.pinned !== null) {
		if (policy.pinned === fingerprint) return;
		throw hostKeyChanged(where, [`expected: ${policy.pinned}`], fingerprint, PINNED_HINT);
	}
	const known = policy.known ?? [];
	const listed = known.filter((entry) => entry.key.equals(key));
	const revoked = listed.find((entry) => entry.revoked);
	if (revoked) {
		throw new DeployError("HOST_KEY_REVOKED", `The host key of ${where} (${fingerprint}) is marked @revoked in ${revoked.source}. Nothing was sent to it.`, "Do not use this server until its owner gives it a new host key.");
	}
	if (listed.length) return;
	// ssh keeps one key per type and host: another key of the type the server shows is the
	// "REMOTE HOST IDENTIFICATION HAS CHANGED" case. Keys of other types say nothing.
	const type = keyTypeOf(key);
	const other = known.filter((entry) => !entry.revoked && entry.type === type);
	if (other.length) {
		throw hostKeyChanged(
			where,
			other.map((entry) => `known_hosts (${entry.source}): ${fingerprintOf(entry.key)}`),
			fingerprint,
			`If you know why the key changed, check the new fingerprint on the server itself, remove the old entry (ssh-keygen -R <host>, with [host]:port off port 22) and run again.`,
		);
	}
	if (policy.acceptNew) return;
	if (policy.confirm && (await policy.confirm(fingerprint))) return;
	throw new DeployError(
		"HOST_KEY_UNKNOWN",
		`The host key of ${where} is not known yet; its fingerprint is ${fingerprint}.`,
		policy.unknownHint ?? "Check the fingerprint on the server (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub), then run again with --accept-new-host-key to pin it.",
		// details[0] is the fingerprint alone, so a UI can show it and ask before retrying
		// servers.add with acceptNewHostKey: true (the message is for people, not parsing).
		[fingerprint],
	);
}

const PINNED_HINT = "If you know why the key changed, re-pin it deliberately: remove the server and add it again (after checking the new fingerprint on the server itself).";

function hostKeyChanged(where: string, expected: string[], received: string, hint: string): DeployError {
	return new DeployError(
		"HOST_KEY_CHANGED",
		[
			`WARNING: the host key of ${where} has CHANGED. Nothing was sent to it.`,
			...expected.map((line) => `  ${line}`),
			`  received: ${received}`,
			"Someone could be intercepting the connection (a man-in-the-middle attack), or the server was reinstalled or its keys were regenerated.",
		].join("\n"),
		hint,
	);
}
