// Issue 17, item 3: the keys access tokens are signed with (HS256: the agent both signs
// and verifies, so a shared secret is enough), `<home>/auth/signing-keys.json`. Each has
// a `kid`, written in every token's header. A key signs for 30 days; then a new one
// signs, and the old one still verifies until every token it signed has expired (24 h
// later), then it is dropped. Removing the file rotates at once: every access token is
// refused, and browsers get new ones with their refresh cookie.
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import * as z from "zod";
import { authDir, jsonStore } from "./json-store.js";

export const SIGN_FOR_MS = 30 * 86_400_000;

const signingKey = z.object({ kid: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/), secret: z.string().min(43), createdAt: z.string() });
export type SigningKey = z.infer<typeof signingKey>;
const keysFile = z.object({ version: z.literal(1), keys: z.array(signingKey) });

const keyStore = (homeRoot: string) => jsonStore(join(authDir(homeRoot), "signing-keys.json"), keysFile, () => ({ version: 1 as const, keys: [] }));

/** The key to sign with now (made, or rotated, when due); keys no token can still need are dropped. */
export async function currentSigningKey(homeRoot: string, now: number, tokenLifetimeMs: number): Promise<SigningKey> {
	const newest = (await keyStore(homeRoot).read()).keys.at(-1);
	if (newest && now - Date.parse(newest.createdAt) < SIGN_FOR_MS) return newest;
	return keyStore(homeRoot).change((file) => {
		const last = file.keys.at(-1);
		if (last && now - Date.parse(last.createdAt) < SIGN_FOR_MS) return { next: file, value: last };
		const made: SigningKey = { kid: randomBytes(9).toString("base64url"), secret: randomBytes(32).toString("base64url"), createdAt: new Date(now).toISOString() };
		// A key still verifies while a token it signed may be alive: until its successor is older than a token's lifetime.
		const kept = file.keys.filter((_key, i) => {
			const successor = file.keys[i + 1];
			return successor === undefined || now - Date.parse(successor.createdAt) < tokenLifetimeMs;
		});
		return { next: { ...file, keys: [...kept, made] }, value: made };
	});
}

/** The key a token's header names, or null: a token signed by a dropped (or unknown) key is refused. */
export async function signingKeyById(homeRoot: string, kid: string): Promise<SigningKey | null> {
	return (await keyStore(homeRoot).read()).keys.find((key) => key.kid === kid) ?? null;
}
