import pc from "picocolors";
import type { DeployEvent } from "../../core/protocol/index.js";

/**
 * Draws a stream of events for a person, on stderr (stdout is kept for the one
 * thing a script may want: the URL, a table). Steps get a line when they end;
 * build output is shown as it comes, dimmed and indented.
 */
export function humanEventPrinter(stream: NodeJS.WriteStream = process.stderr): (event: DeployEvent) => void {
	const color = stream.isTTY ? pc : pc.createColors(false);
	return (event) => {
		switch (event.type) {
			case "step": {
				if (event.status === "started") return;
				const mark = { done: color.green("✓"), skipped: color.dim("–"), failed: color.red("✗") }[event.status];
				const time = event.durationMs !== undefined ? color.dim(` ${formatDuration(event.durationMs)}`) : "";
				// A failed step's message is the error, printed once by the command's error handler.
				const message = event.message && event.status !== "failed" ? ` ${color.dim(event.message)}` : "";
				stream.write(`${mark} ${event.step}${message}${time}\n`);
				return;
			}
			case "log":
				stream.write(`${color.dim("  │")} ${event.line}\n`);
				return;
			case "progress":
				return;
		}
	};
}

export function formatDuration(ms: number): string {
	return ms < 1000 ? `${Math.round(ms)}ms` : `${(ms / 1000).toFixed(1)}s`;
}

/** Aligned columns for listings; plain text, so it pipes well. */
export function table(rows: string[][], header: string[]): string {
	const all = [header, ...rows];
	const widths = header.map((_, column) => Math.max(...all.map((row) => (row[column] ?? "").length)));
	return all.map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!))).join("  ")).join("\n");
}
