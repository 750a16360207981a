// How a stream of api events reads for a person: one line per step change and per
// log line, progress kept as one figure, the state of each step for the timeline.
// Pure functions: every store that runs a long operation folds its events with them.
import type { DeployEvent } from "../api/bridge.js";

export type StepStatus = "started" | "done" | "skipped" | "failed";

export interface ActivityLine {
	kind: "step" | "log" | "instance";
	text: string;
	/** stderr lines and failed steps are shown as such. */
	tone: "normal" | "error" | "muted";
}

export interface Activity {
	lines: ActivityLine[];
	/** Steps in the order they started, with their latest status. */
	steps: { name: string; status: StepStatus; durationMs?: number }[];
	progress: { step: string; done: number; total: number; unit: string } | null;
}

/** Enough for any build log a person scrolls through; the agent keeps the full log. */
const MAX_LINES = 5000;

export const emptyActivity = (): Activity => ({ lines: [], steps: [], progress: null });

export function foldEvent(activity: Activity, event: DeployEvent): Activity {
	switch (event.type) {
		case "step": {
			const steps = activity.steps.filter((step) => step.name !== event.step);
			const index = activity.steps.findIndex((step) => step.name === event.step);
			const entry = { name: event.step, status: event.status, ...(event.durationMs !== undefined ? { durationMs: event.durationMs } : {}) };
			if (index === -1) steps.push(entry);
			else steps.splice(index, 0, entry);
			// The chips show each step's state; the log keeps a header per step (so build
			// output reads under its step) and only the step lines that say something.
			if (event.status === "done" && !event.message) return { ...activity, steps };
			const text = event.status === "started" ? `▸ ${event.step}${event.message ? `: ${event.message}` : ""}` : `  ${event.step} ${event.status}${event.message ? `: ${event.message}` : ""}`;
			const tone = event.status === "failed" ? "error" : "muted";
			return { ...activity, steps, lines: append(activity.lines, { kind: "step", text, tone }) };
		}
		case "log":
			return { ...activity, lines: append(activity.lines, { kind: "log", text: event.line, tone: event.stream === "stderr" ? "error" : "normal" }) };
		case "progress":
			return { ...activity, progress: { step: event.step, done: event.done, total: event.total, unit: event.unit } };
		case "scaling": {
			const { process, action, from, to, reason } = event.decision;
			return { ...activity, lines: append(activity.lines, { kind: "instance", text: `${process} ${action} ${from}→${to}: ${reason}`, tone: "muted" }) };
		}
		case "instance": {
			const text = `${event.process}:${event.port} ${event.status}${event.message ? `: ${event.message}` : ""}`;
			const tone = event.status === "crashed" || event.status === "backoff" ? "error" : "muted";
			return { ...activity, lines: append(activity.lines, { kind: "instance", text, tone }) };
		}
	}
}

function append(lines: ActivityLine[], line: ActivityLine): ActivityLine[] {
	const next = lines.length >= MAX_LINES ? lines.slice(lines.length - MAX_LINES + 1) : lines.slice();
	next.push(line);
	return next;
}
