import { formatAge, formatDuration } from "../../core/protocol/duration.js";
import type { DeploymentRecord } from "../../core/protocol/index.js";
import { printable } from "./terminal-text.js";

// `deploy ls` rows, pure (tested by equality). Issue 14: a row says what was deployed
// (commit, `+dirty` for uncommitted changes, branch, the commit's subject) and how long
// the deployment took (issue 18: and how its files came), so a person can tell deployments apart without opening them.

/** Characters of the commit message shown in the table; `--json` has all of it. */
const MESSAGE_WIDTH = 50;

export const LS_HEADER = ["ID", "APP", "STATUS", "SOURCE", "COMMIT", "BRANCH", "TOOK", "AGE", "MESSAGE", "URL / REASON"];

export function lsRow(record: DeploymentRecord, now: number): string[] {
	const outcome = record.status === "failed" ? (record.error?.message.split("\n")[0] ?? "") : withPreview(record.url ?? "", record.preview, now);
	return [
		record.id,
		record.app,
		record.status,
		// Issue 18: upload (`deploy`), push (`git push`) or webhook; records before it were uploads.
		record.source ?? "upload",
		commitLabel(record),
		printable(record.branch ?? "-"),
		took(record) ?? "-",
		`${formatAge(now - Date.parse(record.createdAt))} ago`,
		record.message ? cut(printable(record.message), MESSAGE_WIDTH) : "-",
		printable(outcome),
	];
}

/** `a1b2c3d`, or `a1b2c3d+dirty` when the files had uncommitted changes (records before issue 14 say so in the commit: `<sha>-dirty`). */
export function commitLabel(record: Pick<DeploymentRecord, "commit" | "dirty">): string {
	if (!record.commit) return "-";
	const dirty = record.dirty ?? record.commit.endsWith("-dirty");
	return `${record.commit.replace(/-dirty$/, "").slice(0, 7)}${dirty ? "+dirty" : ""}`;
}

/** How long the deployment took, from its start to live or failed; null while it runs (or when its times do not parse). */
export function took(record: Pick<DeploymentRecord, "createdAt" | "finishedAt">): string | null {
	if (!record.finishedAt) return null;
	const ms = Date.parse(record.finishedAt) - Date.parse(record.createdAt);
	return Number.isFinite(ms) ? formatDuration(ms) : null;
}

/** Issue 6: a preview's row says its branch and when the server removes it. */
function withPreview(url: string, preview: DeploymentRecord["preview"], now: number): string {
	if (!preview) return url;
	const left = Date.parse(preview.expiresAt) - now;
	return `${url} (preview of ${preview.branch}, ${left > 0 ? `expires in ${formatAge(left)}` : "expired"})`;
}

function cut(text: string, width: number): string {
	const characters = [...text];
	return characters.length <= width ? text : `${characters.slice(0, width - 1).join("")}…`;
}
