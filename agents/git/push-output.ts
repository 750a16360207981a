// Issue 18: a push's remote output (git shows the hook's stderr as `remote: ...` lines):
// the deploy's events as lines a person reads, and the outcome of each ref. Pure.
import type { DeployEvent } from "../../core/protocol/events.js";
import type { ResultOf } from "../../core/protocol/methods.js";
import { formatDuration } from "../../core/protocol/duration.js";

export function eventLine(event: DeployEvent): string | null {
	if (event.type === "log") return `       ${event.line}`;
	if (event.type !== "step") return null;
	const took = event.durationMs !== undefined ? ` (${formatDuration(event.durationMs)})` : "";
	const why = event.message ? `: ${event.message}` : "";
	if (event.status === "started") return `-----> ${event.step}${why}`;
	return `-----> ${event.step} ${event.status}${took}${why}`;
}

export function resultLines(result: ResultOf<"git.receive">): string[] {
	return result.results.map((r) => {
		const where = r.url ? ` at ${r.url}` : "";
		if (r.outcome === "deployed") return `=====> ${r.ref}: ${r.app} ${r.deployment} is live${where}${r.note ? ` (${r.note})` : ""}`;
		if (r.outcome === "detached") return `=====> ${r.ref}: ${r.note ?? r.deployment}`;
		return `=====> ${r.ref}: ${r.note ?? r.outcome}`;
	});
}

export function errorLines(error: { code: string; message: string; hint?: string | undefined; details?: string[] | undefined }): string[] {
	return [`!!!!!> ${error.code}: ${error.message}`, ...(error.hint ? [`!!!!!> ${error.hint}`] : []), ...(error.details ?? []).map((d) => `       ${d}`), "!!!!!> the push is rejected: the branch on the server is unchanged"];
}
