// One-time launch codes for `deploy ui`. The session token never leaves the process
// except in the answer to a redeemed code: a code is what the printed URL and the
// browser's launch page carry, and it is worth nothing once used. So a URL seen in a
// terminal's scrollback, a shell history or a browser's history opens nothing, and
// the token itself is never in a command line, a file or the output.
import { createHash, randomBytes } from "node:crypto";

export interface LaunchCode {
	code: string;
	/** Settles when the code is redeemed (the launch page can be deleted then). */
	used: Promise<void>;
}

export interface LaunchCodes {
	issue(): LaunchCode;
	/** True once per issued code; false for any other string, and for a code used before. */
	redeem(code: string): boolean;
}

export function createLaunchCodes(): LaunchCodes {
	// Keyed by a digest: a Map lookup on the raw code would compare it byte by byte.
	const pending = new Map<string, () => void>();
	const digest = (code: string) => createHash("sha256").update(code).digest("base64url");
	return {
		issue() {
			const code = randomBytes(32).toString("base64url");
			const used = new Promise<void>((resolve) => pending.set(digest(code), resolve));
			return { code, used };
		},
		redeem(code) {
			const key = digest(code);
			const settle = pending.get(key);
			if (!settle) return false;
			// Deleted before anything else runs: two requests racing with one code get one token.
			pending.delete(key);
			settle();
			return true;
		},
	};
}
