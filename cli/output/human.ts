import { formatDuration } from "../../core/protocol/duration.js";
import type { DeployEvent } from "../../core/protocol/index.js";
import { type Colors, pc } from "./colors.js";
import { progressLine } from "./progress-line.js";
import { type Spinner, startSpinner } from "./spinner.js";
import { printable } from "./terminal-text.js";

/**
 * Draws a stream of events for a person, on stderr (stdout is kept for the one
 * thing a script may want: the URL, a table). Steps get a line when they end;
 * build output is shown as it comes, dimmed and indented. A step that may take a
 * while for a reason other than work (waiting for the deploy lock, draining after
 * the switch) says so when it starts. Text from the server is printed without
 * control sequences (terminal-text.ts).
 */
export function humanEventPrinter(stream: NodeJS.WriteStream = process.stderr): (event: DeployEvent) => void {
	const color = pc;
	// An upload's progress: one line redrawn in place on a terminal, cleared before anything else is written.
	let progressShown = false;
	/** The first progress event: the rate is measured from it (what came before it took an unknown time). */
	let progressFrom: { at: number; done: number } | null = null;
	const clearProgress = () => {
		if (!progressShown) return;
		stream.write("\r\x1b[K");
		progressShown = false;
	};
	// Issue 14: the one wait with nothing to show meanwhile (a certificate being issued) spins on a terminal.
	let spinner: Spinner | null = null;
	return (event) => {
		spinner?.stop();
		spinner = null;
		if (event.type !== "progress") clearProgress();
		switch (event.type) {
			case "step": {
				if (event.status === "started" && event.step === "certificate") {
					spinner = startSpinner(stream, printable(event.message ?? "waiting for the certificate"));
					return;
				}
				if (event.status === "started") {
					const waiting = startedLine(event.step, event.message, color);
					if (waiting) stream.write(`${waiting}\n`);
					return;
				}
				const mark = { done: color.green("✓"), skipped: color.dim("–"), failed: color.red("✗") }[event.status];
				const time = event.durationMs !== undefined ? color.dim(` ${formatDuration(event.durationMs)}`) : "";
				// A failed step's message is the error, printed once by the command's error handler.
				const message = event.message && event.status !== "failed" ? ` ${color.dim(printable(event.message))}` : "";
				stream.write(`${mark} ${event.step}${message}${time}\n`);
				return;
			}
			case "log":
				// Build output: the app's text, without the control sequences a terminal would obey.
				stream.write(`${color.dim("  │")} ${printable(event.line)}\n`);
				return;
			case "instance":
				stream.write(`${instanceLine(event, color)}\n`);
				return;
			case "scaling":
				stream.write(`${color.dim("  ●")} ${event.decision.process} ${event.decision.action === "restart" ? "restarted" : `${event.decision.action} ${event.decision.from}→${event.decision.to}`} ${color.dim(printable(event.decision.reason))}\n`);
				return;
			case "progress":
				// Only bytes, only on a terminal: a log file or a pipe gets the step's line when it ends.
				if (event.unit !== "bytes" || !stream.isTTY) return;
				progressFrom ??= { at: Date.now(), done: event.done };
				stream.write(`\r\x1b[K${color.dim(progressLine(event.done, event.total, { bytes: event.done - progressFrom.done, ms: Date.now() - progressFrom.at }))}`);
				progressShown = true;
				return;
		}
	};
}

/** The line shown when a step starts, for the steps where a person would otherwise wonder why nothing moves. */
function startedLine(step: string, message: string | undefined, color: Colors): string | null {
	switch (step) {
		case "lock":
			// The agent names the holder ("waiting for deployment d1abc to finish"); say it once.
			return `${color.yellow("…")} ${message && /^waiting\b/i.test(message) ? printable(message) : `waiting for ${printable(message ?? "another deploy of this app")} to finish`}`;
		case "drain":
			return `${color.dim("…")} drain ${color.dim(printable(message ?? "old instances finish their requests in the background"))}`;
		case "scale":
			return message ? `${color.dim("…")} scale ${color.dim(printable(message))}` : null;
		default:
			return null;
	}
}

type InstanceEvent = Extract<DeployEvent, { type: "instance" }>;

/** One supervision change: `web:41234 running (pid 123)`, a crash in red, a backoff in yellow. */
export function instanceLine(event: InstanceEvent, color: Colors): string {
	const paint = { crashed: color.red, backoff: color.yellow, running: color.green }[event.status as string] ?? color.dim;
	const pid = event.pid !== null ? ` pid ${event.pid}` : "";
	const restarts = event.restarts > 0 ? `, ${event.restarts} restart${event.restarts === 1 ? "" : "s"}` : "";
	// A crash's message may quote the app's output.
	const message = event.message ? ` ${color.dim(printable(event.message))}` : "";
	return `${color.dim("  ●")} ${event.process}:${event.port} ${paint(event.status)}${color.dim(`${pid}${restarts}`)}${message}`;
}

/** Whole seconds since a start, as `deploy ps` shows them: 42s, 5m 3s, 2h 5m, 3d 4h. */
export function formatUptime(seconds: number): string {
	const whole = Math.floor(Math.max(0, seconds));
	return whole === 0 ? "0s" : formatDuration(whole * 1000);
}

/** Aligned columns for listings; plain text, so it pipes well. */
export function table(rows: string[][], header: string[]): string {
	const all = [header, ...rows];
	const widths = header.map((_, column) => Math.max(...all.map((row) => (row[column] ?? "").length)));
	return all.map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!))).join("  ")).join("\n");
}
