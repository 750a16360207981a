import { runCommand } from "../output/run.js";

interface LogsOptions {
	json?: boolean;
	app?: string;
	server?: string;
	lines: number;
	follow?: boolean;
}

/** `deploy logs [-f]`: the app's output on stdout; Ctrl-C ends a follow cleanly. */
export async function logsCommand(options: LogsOptions): Promise<void> {
	await runCommand(options, async (context) => {
		await context.api.logs.read(
			{ lines: options.lines, follow: options.follow === true, ...(options.app ? { app: options.app } : {}), ...(options.server ? { server: options.server } : {}) },
			{
				signal: context.signal,
				// Only the app's lines: connection progress would get in the way of a pipe.
				onEvent: (event) => {
					if (event.type !== "log") return;
					process.stdout.write(context.json ? `${JSON.stringify(event)}\n` : `${event.line}\n`);
				},
			},
		);
	});
}
