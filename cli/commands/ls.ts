import type { DeploymentRecord } from "../../core/protocol/index.js";
import { runCommand } from "../output/run.js";
import { table } from "../output/human.js";

interface LsOptions {
	json?: boolean;
	app?: string;
	server?: string;
	limit: number;
}

/** `deploy ls`: history, newest first; one JSON array with --json. */
export async function lsCommand(options: LsOptions): Promise<void> {
	await runCommand(options, async (context) => {
		// A listing prints only the listing: no progress events, on stdout or stderr.
		const records = await context.api.deployments.list({
			limit: options.limit,
			...(options.app ? { app: options.app } : {}),
			...(options.server ? { server: options.server } : {}),
		});
		context.print(records, () => {
			if (records.length === 0) return "No deployments yet. Run `deploy` in the app's folder.";
			// Issue 14: production and previews apart, so a preview's URL is never read as the app's.
			const production = records.filter((r) => !r.preview);
			const previews = records.filter((r) => r.preview);
			if (previews.length === 0) return historyTable(production);
			return [...(production.length > 0 ? [historyTable(production), ""] : []), "Previews", historyTable(previews)].join("\n");
		});
	});
}

function historyTable(records: DeploymentRecord[]): string {
	return table(
		records.map((r) => [r.id, r.app, r.status, r.commit?.slice(0, 12) ?? "-", age(r.createdAt), r.status === "failed" ? (r.error?.message.split("\n")[0] ?? "") : withPreview(r.url ?? "", r.preview)]),
		["ID", "APP", "STATUS", "COMMIT", "AGE", "URL / REASON"],
	);
}

/** Issue 6: a preview's row says its branch and when the server removes it. */
function withPreview(url: string, preview: { branch: string; expiresAt: string } | undefined): string {
	if (!preview) return url;
	const left = Date.parse(preview.expiresAt) - Date.now();
	return `${url} (preview of ${preview.branch}, ${left > 0 ? `expires in ${age(new Date(Date.now() - left).toISOString()).replace(" ago", "")}` : "expired"})`;
}

function age(iso: string): string {
	const seconds = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
	if (seconds < 60) return `${seconds}s ago`;
	if (seconds < 3600) return `${Math.round(seconds / 60)}m ago`;
	if (seconds < 86400) return `${Math.round(seconds / 3600)}h ago`;
	return `${Math.round(seconds / 86400)}d ago`;
}
