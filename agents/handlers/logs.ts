import { DeployError } from "../../core/protocol/index.js";
import { appPaths } from "../home.js";
import { type AppLogLine, parseAppLogLine } from "../processes/app-log-line.js";
import { type AppLogFilter, isFiltered, matcher, queryAppLog } from "../processes/app-log-query.js";
import type { Supervisor } from "../processes/supervisor.js";
import { followLines, lastLines } from "../util/tail.js";
import type { Handler } from "./call.js";

/** Lines sent when --since asks for "everything since" and -n was not given. */
const SINCE_LIMIT = 100_000;

/**
 * The app's output: the last lines (matching the filters), then, with follow, new
 * ones until the client cancels. Each line goes out as the app wrote it, with the
 * time and instance beside it.
 */
export const logs: Handler<"logs"> = async ({ app, lines, follow, since, grep, instance }, { agent, signal, emit }) => {
	const path = appPaths(agent.home, app).appLog;
	const filter: AppLogFilter = { sinceMs: since ? Date.parse(since) : undefined, grep, instance: instance === undefined ? undefined : instanceLabel(agent.supervisor, app, instance) };
	const limit = lines ?? (since ? SINCE_LIMIT : 100);
	let sent = 0;
	const send = (line: AppLogLine) => {
		sent += 1;
		emit({ type: "log", stream: "stdout", line: line.text, ...(line.time ? { time: line.time } : {}), ...(line.instance ? { instance: line.instance } : {}) });
	};
	let size: number;
	if (isFiltered(filter)) {
		const found = await queryAppLog(path, filter, limit);
		for (const line of found.lines) send(line);
		size = found.size;
	} else {
		const tail = await lastLines(path, limit);
		for (const line of tail.lines) send(parseAppLogLine(line));
		size = tail.size;
	}
	if (follow) {
		const keep = matcher(filter);
		await followLines(path, size, signal, (text) => {
			const line = parseAppLogLine(text);
			if (keep(line)) send(line);
		});
	}
	return { lines: sent };
};

/**
 * `--instance N`: the Nth row of `deploy ps` for the app (processes by name, then
 * ports), or, for a number no row has, a port (an instance that is gone still has lines).
 */
function instanceLabel(supervisor: Supervisor, app: string, n: number): string {
	const rows = supervisor.instancesOf(app).sort((a, b) => a.record.process.localeCompare(b.record.process) || a.record.port - b.record.port);
	const row = rows[n - 1];
	if (row) return `${row.record.process}:${row.record.port}`;
	const byPort = rows.find((i) => i.record.port === n);
	if (byPort) return `${byPort.record.process}:${byPort.record.port}`;
	if (n >= 1024) return `*:${n}`;
	throw new DeployError("UNKNOWN_INSTANCE", `${app} has ${rows.length} instance(s); there is no instance ${n}.`, "Use a row number of `deploy ps` (1 is the first row), or an instance's port.");
}
