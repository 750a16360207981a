import type { DeploymentRecord } from "../../core/protocol/index.js";
import type { HasHome } from "../context/parts.js";
import { listApps } from "../deploy/records.js";
import { previewInfoOf, readPreviewFile } from "./marker.js";

/** The apps on this server that are previews of `of`. */
export async function previewAppsOf(agent: HasHome, of: string): Promise<string[]> {
	const apps = await listApps(agent.home);
	const notes = await Promise.all(apps.map(async (app) => ({ app, note: await readPreviewFile(agent.home, app) })));
	return notes.filter(({ note }) => note?.of === of).map(({ app }) => app);
}

/** Marks each record of a preview app with its branch and expiry, as `deploy ls` shows them, and every record with its environment. */
export async function withPreviewInfo(agent: HasHome, records: DeploymentRecord[]): Promise<DeploymentRecord[]> {
	const notes = new Map<string, Awaited<ReturnType<typeof readPreviewFile>>>();
	for (const app of new Set(records.map((r) => r.app))) notes.set(app, await readPreviewFile(agent.home, app));
	return records.map((record) => {
		const note = notes.get(record.app);
		return note ? { ...record, preview: previewInfoOf(note), environment: "preview" as const } : { ...record, environment: "production" as const };
	});
}
