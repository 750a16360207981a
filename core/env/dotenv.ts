// The .env format as the `dotenv` package reads it: KEY=VALUE lines, an optional
// `export ` prefix, # comments (whole lines, or after an unquoted value), single quotes
// (literal), double quotes (\n, \r, \t, \", \\ unescaped) and values spanning lines
// inside quotes. No package for it is installed here, and this much is small.

export interface DotenvEntry {
	key: string;
	value: string;
	/** The lines (0-based, inclusive) the entry spans: what a merge replaces. */
	start: number;
	end: number;
}

export interface ParsedDotenv {
	entries: DotenvEntry[];
	/** Line numbers and what is wrong; never the value. */
	problems: string[];
}

const ASSIGNMENT = /^\s*(?:export\s+)?([^=\s]+)\s*=\s?(.*)$/;
const KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function parseDotenv(text: string): ParsedDotenv {
	const lines = text.replace(/\r\n?/g, "\n").split("\n");
	const entries: DotenvEntry[] = [];
	const problems: string[] = [];
	for (let i = 0; i < lines.length; i++) {
		const line = lines[i]!;
		if (/^\s*(#.*)?$/.test(line)) continue;
		const match = ASSIGNMENT.exec(line);
		if (!match) {
			problems.push(`line ${i + 1}: not KEY=VALUE`);
			continue;
		}
		const key = match[1]!;
		const start = i;
		let rest = match[2]!.trimStart();
		let value: string;
		const quote = rest[0];
		if (quote === '"' || quote === "'" || quote === "`") {
			let body = rest.slice(1);
			let close = closingQuote(body, quote);
			while (close < 0 && i + 1 < lines.length) {
				i += 1;
				body += `\n${lines[i]}`;
				close = closingQuote(body, quote);
			}
			if (close < 0) {
				problems.push(`line ${start + 1}: ${key} has no closing ${quote}`);
				continue;
			}
			rest = body.slice(close + 1);
			if (!/^\s*(#.*)?$/.test(rest)) {
				problems.push(`line ${i + 1}: text after the closing quote of ${key}`);
				continue;
			}
			body = body.slice(0, close);
			value = quote === '"' ? unescapeDouble(body) : body;
		} else {
			value = rest.replace(/\s+#.*$/, "").trim();
		}
		if (!KEY.test(key)) {
			problems.push(`line ${start + 1}: ${key} is not a variable name (letters, digits and _, not starting with a digit)`);
			continue;
		}
		entries.push({ key, value, start, end: i });
	}
	return { entries, problems };
}

/** Key → value, the last assignment of a key winning (as dotenv does). */
export function dotenvValues(parsed: ParsedDotenv): Record<string, string> {
	return Object.fromEntries(parsed.entries.map((e) => [e.key, e.value]));
}

function closingQuote(body: string, quote: string): number {
	for (let i = 0; i < body.length; i++) {
		if (body[i] === "\\" && quote === '"') i += 1;
		else if (body[i] === quote) return i;
	}
	return -1;
}

function unescapeDouble(body: string): string {
	return body.replace(/\\([nrt"\\])/g, (_, c: string) => ({ n: "\n", r: "\r", t: "\t", '"': '"', "\\": "\\" })[c] ?? c);
}

/** One KEY=VALUE line (or lines) that this parser and dotenv both read back as `value`. */
export function formatDotenvEntry(key: string, value: string): string {
	if (/^[A-Za-z0-9_./:@+,-]*$/.test(value)) return `${key}=${value}`;
	if (!value.includes("'") && !value.includes("\n")) return `${key}='${value}'`;
	return `${key}="${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n").replace(/\r/g, "\\r")}"`;
}
