// Issue 18: a webhook delivery's signature, checked before the body is parsed or anything
// is fetched. GitHub signs the raw body with the hook's secret: `X-Hub-Signature-256:
// sha256=<hex HMAC-SHA256>`. The comparison takes the same time wherever the bytes differ
// (crypto.timingSafeEqual), so an attacker learns nothing of the secret from the answer's timing.
import { createHash, createHmac, timingSafeEqual } from "node:crypto";

const GITHUB_PREFIX = "sha256=";

/** Whether `header` is the GitHub signature of `body` with `secret`; false for a missing or malformed header. */
export function githubSignatureOk(secret: string, body: Buffer, header: string | string[] | undefined): boolean {
	if (typeof header !== "string" || !header.startsWith(GITHUB_PREFIX)) return false;
	return hexHmacOk(secret, body, header.slice(GITHUB_PREFIX.length));
}

/** Gitea and Forgejo: `X-Gitea-Signature` (Forgejo also sends `X-Forgejo-Signature`) is the hex HMAC-SHA256 of the body, no prefix. */
export function giteaSignatureOk(secret: string, body: Buffer, header: string | string[] | undefined): boolean {
	return typeof header === "string" && hexHmacOk(secret, body, header);
}

/** Whether `given` is the hex HMAC-SHA256 of `body` with `secret`: what GitHub (after its prefix) and Gitea both send. */
function hexHmacOk(secret: string, body: Buffer, given: string): boolean {
	if (!/^[0-9a-f]{64}$/i.test(given)) return false;
	const expected = createHmac("sha256", secret).update(body).digest();
	return timingSafeEqual(expected, Buffer.from(given, "hex"));
}

/**
 * GitLab signs nothing: `X-Gitlab-Token` is the secret itself. Both sides are hashed first so
 * that timingSafeEqual compares equal lengths and the token's length leaks nothing either.
 */
export function gitlabTokenOk(secret: string, header: string | string[] | undefined): boolean {
	if (typeof header !== "string" || header.length === 0) return false;
	const digest = (text: string) => createHash("sha256").update(text).digest();
	return timingSafeEqual(digest(secret), digest(header));
}
