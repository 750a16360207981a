/**
 * One line of logs/app.log: `<ISO time> <process>:<port> <the app's text>`. Lines
 * written before this format (older agents) have neither; they parse with nulls.
 */
export interface AppLogLine {
	time: string | null;
	instance: string | null;
	text: string;
}

const STAMPED = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z) (\S+:\d+) (.*)$/s;

export function formatAppLogLine(time: Date, instance: string, text: string): string {
	return `${time.toISOString()} ${instance} ${text}\n`;
}

export function parseAppLogLine(line: string): AppLogLine {
	const match = STAMPED.exec(line);
	if (!match) return { time: null, instance: null, text: line };
	return { time: match[1]!, instance: match[2]!, text: match[3]! };
}
