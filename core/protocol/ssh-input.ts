import * as z from "zod";

// What a person types to reach a server, checked at the api's boundary
// (core/api/contract.ts) before anything connects.

/** `user@host`, `host`, or a Host alias of ~/.ssh/config. */
export const sshDestination = z
	.string()
	.max(300)
	.regex(/^(?:[a-z_][a-z0-9_.-]*@)?[A-Za-z0-9_.:[\]-]+$/, "must look like user@host");

/** OpenSSH's form, as `ssh-keygen -lf` prints it. */
export const hostKeyFingerprint = z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}$/, "must be a SHA256:... fingerprint, as ssh-keygen -lf prints it");
