import { appPaths } from "../home.js";
import { followLines, lastLines } from "../util/tail.js";
import type { Handler } from "./call.js";

/** The app's output: the last lines, then (with follow) new ones until the client cancels. */
export const logs: Handler<"logs"> = async ({ app, lines, follow }, { agent, signal, emit }) => {
	const path = appPaths(agent.home, app).appLog;
	const tail = await lastLines(path, lines);
	let sent = 0;
	const send = (line: string) => {
		sent += 1;
		emit({ type: "log", stream: "stdout", line });
	};
	for (const line of tail.lines) send(line);
	if (follow) await followLines(path, tail.size, signal, send);
	return { lines: sent };
};
