/**
 * The daemon's own log: its stderr is appended to agent.log by whoever started it,
 * so a timestamped line on stderr is all it takes.
 */
export function agentLog(line: string): void {
	process.stderr.write(`${new Date().toISOString()} ${line}\n`);
}
