import { readFile } from "node:fs/promises";
import { join } from "node:path";
import * as z from "zod";
import { appName } from "../../core/protocol/index.js";
import { type PreviewInfo, previewMarker } from "../../core/protocol/previews.js";
import { writeJsonAtomic } from "../fs/atomic-write.js";
import { type AgentHome, appPaths } from "../home.js";

/**
 * apps/<app>/preview.json: the agent's own note that an app is a preview, and until
 * when. Written at every deploy of the preview (so a redeploy, even an unchanged one,
 * extends its life), read by the sweeper and by `deployments.list`. Kept apart from
 * the release spec so the expiry, counted on the agent's clock, never changes the
 * spec's hash (a redeploy of the same tree stays "unchanged").
 */
export const previewFile = previewMarker.extend({
	version: z.literal(1),
	of: appName,
	/** The agent's clock: when the sweeper removes the preview. */
	expiresAt: z.string(),
});
export type PreviewFile = z.infer<typeof previewFile>;

export function previewFilePath(home: AgentHome, app: string): string {
	return join(appPaths(home, app).dir, "preview.json");
}

/** The app's preview note; null for a production app (or one whose note cannot be read). */
export async function readPreviewFile(home: AgentHome, app: string): Promise<PreviewFile | null> {
	let text: string;
	try {
		text = await readFile(previewFilePath(home, app), "utf8");
	} catch {
		return null;
	}
	return parsePreviewFile(text);
}

/** The note's text checked; null when it is not a preview note (the access rules read it synchronously, agents/access/app-of-call.ts). */
export function parsePreviewFile(text: string): PreviewFile | null {
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch {
		return null;
	}
	const parsed = previewFile.safeParse(json);
	return parsed.success ? parsed.data : null;
}

export async function writePreviewFile(home: AgentHome, app: string, marker: z.output<typeof previewMarker>, now = Date.now()): Promise<PreviewFile> {
	const file: PreviewFile = { version: 1, ...marker, expiresAt: new Date(now + marker.ttlSeconds * 1000).toISOString() };
	await writeJsonAtomic(previewFilePath(home, app), file);
	return file;
}

export function previewInfoOf(file: PreviewFile): PreviewInfo {
	return { of: file.of, branch: file.branch, expiresAt: file.expiresAt };
}
