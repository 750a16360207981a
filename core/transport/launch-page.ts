// The page `deploy ui` hands to the browser opener: a file that redirects to a launch
// URL. The opener's command line then names only the file, so no other user of this
// machine can read a code from /proc/<pid>/cmdline (or `ps`) and race the browser for
// the session. The file is readable by this user only (0600 in a 0700 folder) and is
// deleted once its code is redeemed. (Jupyter opens its browser the same way.)
import { chmod, mkdir, open, rm } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { randomBytes } from "node:crypto";
import { deployHome } from "../paths.js";

export interface LaunchPage {
	path: string;
	/** What the opener gets: a file: URL. */
	fileUrl: string;
	remove(): Promise<void>;
}

export async function writeLaunchPage(launchUrl: string): Promise<LaunchPage> {
	const dir = join(deployHome(), "ui");
	await mkdir(dir, { recursive: true, mode: 0o700 });
	// mkdir keeps the mode of a folder that already exists.
	await chmod(dir, 0o700);
	// The name is not secret; it only keeps two `deploy ui` apart.
	const path = join(dir, `launch-${randomBytes(6).toString("hex")}.html`);
	const file = await open(path, "wx", 0o600);
	try {
		await file.writeFile(launchPageHtml(launchUrl));
	} finally {
		await file.close();
	}
	return { path, fileUrl: pathToFileURL(path).href, remove: () => rm(path, { force: true }) };
}

/** A refresh, and a link for a browser that does not follow it. No script: nothing to allow. */
export function launchPageHtml(launchUrl: string): string {
	const href = launchUrl.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
	return [
		"<!doctype html>",
		'<meta charset="utf-8">',
		'<meta name="referrer" content="no-referrer">',
		`<meta http-equiv="refresh" content="0;url=${href}">`,
		"<title>Deploy</title>",
		`<p><a href="${href}">Open Deploy</a></p>`,
		"",
	].join("\n");
}
