// Issue 18: a webhook delivery's signature, checked before the body is parsed or anything
// is fetched. GitHub signs the raw body with the hook's secret: `X-Hub-Signature-256:
// sha256=<hex HMAC-SHA256>`. The comparison takes the same time wherever the bytes differ
// (crypto.timingSafeEqual), so an attacker learns nothing of the secret from the answer's timing.
import { createHmac, timingSafeEqual } from "node:crypto";

const GITHUB_PREFIX = "sha256=";

/** Whether `header` is the GitHub signature of `body` with `secret`; false for a missing or malformed header. */
export function githubSignatureOk(secret: string, body: Buffer, header: string | string[] | undefined): boolean {
	if (typeof header !== "string" || !header.startsWith(GITHUB_PREFIX)) return false;
	const given = header.slice(GITHUB_PREFIX.length);
	if (!/^[0-9a-f]{64}$/i.test(given)) return false;
	const expected = createHmac("sha256", secret).update(body).digest();
	return timingSafeEqual(expected, Buffer.from(given, "hex"));
}
