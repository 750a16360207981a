import type { DeployEvent } from "../../core/protocol/index.js";
import { runCommand } from "../output/run.js";
import { printable } from "../output/terminal-text.js";

interface LogsOptions {
	json?: boolean;
	app?: string;
	server?: string;
	lines?: number;
	follow?: boolean;
	since?: string;
	grep?: string;
	instance?: number;
	/** `--build [id]`: true without an id (the newest deployment). */
	build?: string | true;
}

/** `deploy logs [-f] [--since] [--grep] [--instance]`: the app's output on stdout; Ctrl-C ends a follow cleanly. */
export async function logsCommand(options: LogsOptions): Promise<void> {
	if (options.build !== undefined) return buildLogCommand(options, options.build);
	await runCommand(options, async (context) => {
		await context.api.logs.read(
			{
				follow: options.follow === true,
				...(options.lines !== undefined ? { lines: options.lines } : {}),
				...(options.since ? { since: options.since } : {}),
				...(options.grep ? { grep: options.grep } : {}),
				...(options.instance !== undefined ? { instance: options.instance } : {}),
				...(options.app ? { app: options.app } : {}),
				...(options.server ? { server: options.server } : {}),
			},
			{
				signal: context.signal,
				// Only the app's lines: connection progress would get in the way of a pipe.
				onEvent: (event) => {
					if (event.type !== "log") return;
					process.stdout.write(context.json ? `${JSON.stringify(event)}\n` : `${formatLogLine(event)}\n`);
				},
			},
		);
	});
}

/**
 * `2026-11-27T06:45:00.123Z web:41234 the app's text`; lines of older agents have only the text.
 * Without the app's control sequences, terminal or pipe (a pipe often ends in one: `| grep`); `--json` keeps them.
 */
export function formatLogLine(event: Extract<DeployEvent, { type: "log" }>): string {
	return printable([event.time, event.instance, event.line].filter((part) => part !== undefined).join(" "));
}

/** `deploy logs --build [id]`: a deployment's build output as it was streamed, on stdout; which deployment, on stderr. */
async function buildLogCommand(options: LogsOptions, build: string | true): Promise<void> {
	await runCommand(options, async (context) => {
		const result = await context.api.logs.build(
			{ ...(build === true ? {} : { id: build }), ...(options.follow ? { follow: true } : {}), ...(options.app ? { app: options.app } : {}), ...(options.server ? { server: options.server } : {}) },
			{
				signal: context.signal,
				onEvent: (event) => {
					if (event.type !== "log") return;
					process.stdout.write(context.json ? `${JSON.stringify(event)}\n` : `${printable(event.line)}\n`);
				},
			},
		);
		// With --json the result comes last, as for other streams: it names the deployment the default picked.
		if (context.json) context.print(result, () => "");
		else if (result.lines === 0) process.stderr.write(`Deployment ${result.id} of ${result.app} kept no build output.\n`);
		// Issue 18: a followed deployment says how it ended (a detached push's has no other place to say it).
		if (!context.json && options.follow && result.status) process.stderr.write(`Deployment ${result.id} of ${result.app}: ${result.status}\n`);
		if (options.follow && result.status === "failed") process.exitCode = 1;
	});
}
