// Issue 18: a push's remote output (git shows the hook's stderr as `remote: ...` lines):
// the deploy's events as lines a person reads, and the outcome of each ref. Pure.
import type { DeployEvent } from "../../core/protocol/events.js";
import type { ResultOf } from "../../core/protocol/methods.js";
import { formatDuration } from "../../core/protocol/duration.js";

type Results = ResultOf<"git.receive">["results"];
interface ShownError {
	code: string;
	message: string;
	hint?: string | undefined;
	details?: string[] | undefined;
}

export function eventLine(event: DeployEvent): string | null {
	if (event.type === "log") return `       ${event.line}`;
	if (event.type !== "step") return null;
	const took = event.durationMs !== undefined ? ` (${formatDuration(event.durationMs)})` : "";
	const why = event.message ? `: ${event.message}` : "";
	if (event.status === "started") return `-----> ${event.step}${why}`;
	return `-----> ${event.step} ${event.status}${took}${why}`;
}

/**
 * Each ref's outcome; when one failed, the rejection and what it means for the others:
 * git takes all of a push's branches or none, so no branch moves on the server, while a
 * deploy that went live stays live. `shown`: log lines already printed (a failed build's
 * last lines are its error's details too, and are not printed twice).
 */
export function resultLines(results: Results, shown: ReadonlySet<string> = new Set()): string[] {
	const lines = results.flatMap((r) => {
		const where = r.url ? ` at ${r.url}` : "";
		if (r.outcome === "deployed") return [`=====> ${r.ref}: ${r.app} ${r.deployment} is live${where}${r.note ? ` (${r.note})` : ""}`];
		if (r.outcome === "detached") return [`=====> ${r.ref}: ${r.note ?? r.deployment}`];
		if (r.outcome === "failed") return [`=====> ${r.ref}: failed${r.deployment ? ` (deployment ${r.deployment} of ${r.app})` : ""}`, ...problemLines(r.error ?? { code: "INTERNAL", message: "no reason given" }, shown)];
		return [`=====> ${r.ref}: ${r.note ?? r.outcome}`];
	});
	const failed = results.filter((r) => r.outcome === "failed");
	if (failed.length === 0) return lines;
	const live = results.filter((r) => r.outcome === "deployed" || r.outcome === "detached" || r.outcome === "removed");
	lines.push(`!!!!!> the push is rejected: ${failed.map((r) => r.ref).join(", ")} failed, and git accepts all of a push's branches or none, so no branch on the server moved`);
	if (live.length) {
		const done = live.map((r) => `${r.ref} (${r.outcome === "removed" ? "preview removed" : `${r.app} ${r.deployment}${r.outcome === "detached" ? ", deploying" : ""}`})`);
		lines.push(`!!!!!> done and kept: ${done.join(", ")}; their branches on the server still point at the old commits, so the next push sends them again (and finds them unchanged)`);
	}
	return lines;
}

/** A failure of the whole call (the daemon unreachable, a refused ref): nothing was deployed. */
export function errorLines(error: ShownError, shown: ReadonlySet<string> = new Set()): string[] {
	return [...problemLines(error, shown), "!!!!!> the push is rejected: the branch on the server is unchanged"];
}

function problemLines(error: ShownError, shown: ReadonlySet<string>): string[] {
	const details = (error.details ?? []).filter((line) => !shown.has(line));
	return [`!!!!!> ${error.code}: ${error.message}`, ...(error.hint ? [`!!!!!> ${error.hint}`] : []), ...details.map((d) => `       ${d}`)];
}
