/**
 * The daemon's own log, one JSON object per line: {"time","level","msg"} plus any
 * fields given. Its stderr is appended to agent.log by whoever started it, so a line
 * on stderr is all it takes. Callers pass what a person should read; no env value or
 * other secret is ever handed to it.
 */
export type LogLevel = "info" | "warn" | "error";

export function agentLog(message: string, fields: { level?: LogLevel } & Record<string, string | number | boolean | null> = {}): void {
	const { level = levelOf(message), ...rest } = fields;
	process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level, msg: message, ...rest })}\n`);
}

/** Most call sites predate levels and pass one sentence: failures read as such. */
function levelOf(message: string): LogLevel {
	if (/unhandled|crash/i.test(message)) return "error";
	if (/\b(cannot|failed|refused|gave up|is gone|not start)/i.test(message)) return "warn";
	return "info";
}
