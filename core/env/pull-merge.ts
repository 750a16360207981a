import { type DotenvEntry, formatDotenvEntry, parseDotenv } from "./dotenv.js";

/** What a pull did to the local file, by key: never a value. */
export interface PullReport {
	added: string[];
	changed: string[];
	unchanged: string[];
	/** Keys only in the local file: kept as they are. */
	keptLocal: string[];
}

/**
 * The local .env text with the server's values merged in: a key the server has gets
 * its value (in place, comments and order kept), a new key is appended, a key only
 * the local file has is kept and reported. Nothing is ever dropped. Pure.
 */
export function mergeIntoDotenv(localText: string, server: Record<string, string>): { text: string; report: PullReport } {
	const parsed = parseDotenv(localText);
	const lines = localText === "" ? [] : localText.replace(/\r\n?/g, "\n").replace(/\n$/, "").split("\n");
	const last = new Map<string, DotenvEntry>();
	for (const entry of parsed.entries) last.set(entry.key, entry);
	const report: PullReport = { added: [], changed: [], unchanged: [], keptLocal: [] };
	const replacements = new Map<number, { end: number; text: string }>();
	for (const [key, value] of Object.entries(server)) {
		const local = last.get(key);
		if (!local) {
			report.added.push(key);
		} else if (local.value === value) {
			report.unchanged.push(key);
		} else {
			report.changed.push(key);
			replacements.set(local.start, { end: local.end, text: formatDotenvEntry(key, value) });
		}
	}
	for (const key of last.keys()) if (!Object.hasOwn(server, key)) report.keptLocal.push(key);
	const out: string[] = [];
	for (let i = 0; i < lines.length; i++) {
		const replacement = replacements.get(i);
		if (replacement) {
			out.push(replacement.text);
			i = replacement.end;
		} else {
			out.push(lines[i]!);
		}
	}
	for (const key of report.added.sort()) out.push(formatDotenvEntry(key, server[key]!));
	for (const list of Object.values(report)) list.sort();
	return { text: out.length ? `${out.join("\n")}\n` : "", report };
}
