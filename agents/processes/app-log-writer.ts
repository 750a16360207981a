import { closeSync, openSync, writeSync } from "node:fs";
import { lineSplitter } from "../util/lines.js";
import { formatAppLogLine } from "./app-log-line.js";

/**
 * `agent.mjs app-log <file> <instance>`: the reader end of an instance's stdout and
 * stderr. Each line is written to the app log with the time and the instance in
 * front. It runs detached beside the instance, so the app outlives the agent without
 * writing to a pipe nobody reads; it ignores the signals a stop sends and ends when
 * the app (and every child holding its output) has closed the pipe, after the last line.
 */
export function runAppLogWriter(argv: string[]): void {
	const [file, instance] = argv;
	if (!file || !instance) {
		process.stderr.write("usage: node agent.mjs app-log <file> <instance>\n");
		process.exitCode = 2;
		return;
	}
	for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"] as const) process.on(signal, () => undefined);
	// O_APPEND: the agent's copy-truncate rotation stays safe, like it is for any writer.
	const fd = openSync(file, "a");
	const write = (line: string) => {
		try {
			writeSync(fd, formatAppLogLine(new Date(), instance, line));
		} catch {
			// A full disk loses the line, never the app.
		}
	};
	const splitter = lineSplitter(write);
	process.stdin.on("data", (chunk: Buffer) => splitter.push(chunk));
	process.stdin.on("end", () => {
		splitter.flush();
		closeSync(fd);
	});
}
