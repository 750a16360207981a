// How a deployment reads in the Deployments view (issue 14), as `deploy ls` writes it
// (cli/output/deployments.ts: the renderer bundles none of the CLI's code). Pure.
import type { DeploymentRecord } from "../api/bridge.js";

/** `a1b2c3d`, or `a1b2c3d+dirty` for uncommitted changes (older records say so as `<sha>-dirty`); null outside git. */
export function commitLabel(record: Pick<DeploymentRecord, "commit" | "dirty">): string | null {
	if (!record.commit) return null;
	const dirty = record.dirty ?? record.commit.endsWith("-dirty");
	return `${record.commit.replace(/-dirty$/, "").slice(0, 7)}${dirty ? "+dirty" : ""}`;
}

/** From start to live or failed: 850ms, 12.3s, 4m 05s; null while it runs. */
export function tookLabel(record: Pick<DeploymentRecord, "createdAt" | "finishedAt">): string | null {
	if (!record.finishedAt) return null;
	const ms = Date.parse(record.finishedAt) - Date.parse(record.createdAt);
	if (!Number.isFinite(ms)) return null;
	if (ms < 1000) return `${Math.max(0, ms)}ms`;
	if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
	const seconds = Math.round(ms / 1000);
	if (seconds < 3600) return `${Math.floor(seconds / 60)}m ${String(seconds % 60).padStart(2, "0")}s`;
	const minutes = Math.round(seconds / 60);
	return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, "0")}m`;
}
