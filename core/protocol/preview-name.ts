import { createHash } from "node:crypto";

/** A DNS label's limit (RFC 1035): the preview's name is one label of its host. */
const MAX_LABEL = 63;
const HASH_LENGTH = 6;

/** `Feature/Login_Page` -> `feature-login-page`: lowercase, [a-z0-9-], no leading, trailing or doubled dashes. */
export function dnsSafe(text: string): string {
	return text
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, "-")
		.replace(/^-+|-+$/g, "");
}

/**
 * The name of the preview app of `app` for `branch`, which is also the first label of
 * its host: `<branch>-<app>`, DNS-safe. When it would pass 63 characters the branch
 * part is cut and a short hash of the whole branch name keeps two long branches that
 * start alike apart. Pure: the same branch always gives the same name, so a redeploy
 * replaces its preview.
 */
export function previewAppName(branch: string, app: string): string {
	const slug = dnsSafe(branch);
	const full = slug ? `${slug}-${app}` : "";
	if (full && full.length <= MAX_LABEL) return full;
	const hash = createHash("sha256").update(branch).digest("hex").slice(0, HASH_LENGTH);
	const room = MAX_LABEL - app.length - HASH_LENGTH - 2;
	if (room < 1) return `${hash}-${app.slice(0, MAX_LABEL - HASH_LENGTH - 1)}`.replace(/-+$/, "");
	const cut = slug.slice(0, room).replace(/-+$/, "");
	return cut ? `${cut}-${hash}-${app}` : `${hash}-${app}`;
}
