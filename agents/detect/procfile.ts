/**
 * Procfile process types (`web: node server.js`, `worker: node jobs.js`), in file
 * order. Lines that are not `name: command` are ignored, as Heroku does. Pure.
 */
export function parseProcfile(text: string): { name: string; command: string }[] {
	const processes: { name: string; command: string }[] = [];
	for (const line of text.split(/\r?\n/)) {
		const match = /^([A-Za-z0-9_-]+):\s*(.+)$/.exec(line.trim());
		if (!match) continue;
		const name = match[1]!.toLowerCase();
		if (/^[a-z][a-z0-9_-]{0,30}$/.test(name) && !processes.some((p) => p.name === name)) processes.push({ name, command: match[2]!.trim() });
	}
	return processes;
}
