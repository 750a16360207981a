// How a deployment reads in the Deployments view (issue 14), as `deploy ls` writes it
// (cli/output/deployments.ts: the renderer bundles none of the CLI's code). Pure.
import type { DeploymentRecord } from "../api/bridge.js";
import { formatDuration } from "./duration.js";

/** `a1b2c3d`, or `a1b2c3d+dirty` for uncommitted changes (older records say so as `<sha>-dirty`); null outside git. */
export function commitLabel(record: Pick<DeploymentRecord, "commit" | "dirty">): string | null {
	if (!record.commit) return null;
	const dirty = record.dirty ?? record.commit.endsWith("-dirty");
	return `${record.commit.replace(/-dirty$/, "").slice(0, 7)}${dirty ? "+dirty" : ""}`;
}

/** From start to live or failed: 850ms, 12.3s, 4m 5s; null while it runs. */
export function tookLabel(record: Pick<DeploymentRecord, "createdAt" | "finishedAt">): string | null {
	if (!record.finishedAt) return null;
	const ms = Date.parse(record.finishedAt) - Date.parse(record.createdAt);
	return Number.isFinite(ms) ? formatDuration(ms) : null;
}
