import * as z from "zod";

/** One problem in deploy.yaml: `path` names the key with slashes, e.g. `processes/web/instances`. */
export interface ConfigError {
	path: string;
	message: string;
	/** 1-based position in deploy.yaml, when the problem can be pointed at. */
	line?: number;
	column?: number;
}

/** What the root of the document is called in an error (there is no key to name). */
export const ROOT_PATH = "deploy.yaml";

/**
 * Messages that read as the end of "<path>: ...". Passed to safeParse; messages
 * set on a schema itself (the name rules) win over these.
 */
export const readableMessages: z.core.$ZodErrorMap = (issue) => {
	switch (issue.code) {
		case "invalid_type":
			if (issue.input === undefined) return "is required";
			return `must be ${article(issue.expected)}, not ${describe(issue.input)}`;
		case "too_small":
			return bound("at least", issue.origin, issue.minimum, issue.inclusive);
		case "too_big":
			return bound("at most", issue.origin, issue.maximum, issue.inclusive);
		case "invalid_value":
			return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
		case "invalid_format":
			return issue.format === "starts_with" ? `must start with ${JSON.stringify(issue.prefix)}` : "has an invalid format";
		default:
			return undefined;
	}
};

function bound(word: string, origin: string, limit: number | bigint, inclusive = true): string {
	const exact = inclusive ? `${word} ${limit}` : `${word === "at least" ? "more than" : "less than"} ${limit}`;
	if (origin === "string") return Number(limit) === 1 && word === "at least" ? "must not be empty" : `must be ${exact} characters`;
	if (origin === "array" || origin === "set") return `must have ${exact} items`;
	if (origin === "record" || origin === "object") return `must have ${exact} keys`;
	return `must be ${exact}`;
}

function article(type: string): string {
	const names: Record<string, string> = { object: "a mapping (key: value)", array: "a list", int: "a whole number", number: "a number" };
	return names[type] ?? (/^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`);
}

function describe(input: unknown): string {
	if (input === null) return "empty";
	if (Array.isArray(input)) return "a list";
	if (typeof input === "object") return "a mapping";
	return `${typeof input} ${JSON.stringify(input)}`;
}

/**
 * Turns zod's issues into path-named errors. Unknown keys become one error each,
 * at their own path, with the closest known key suggested (a typo must not pass
 * silently, and should be easy to fix).
 */
export function formatIssues(issues: readonly z.core.$ZodIssue[], schema: z.ZodType): ConfigError[] {
	const errors: ConfigError[] = [];
	for (const issue of issues) {
		if (issue.code === "unrecognized_keys") {
			const known = knownKeys(schema, issue.path);
			for (const key of issue.keys) {
				const guess = closest(key, known);
				const message = guess ? `unknown key (did you mean "${guess}"?)` : `unknown key${known.length ? ` (expected one of: ${known.join(", ")})` : ""}`;
				errors.push({ path: joinPath([...issue.path, key]), message });
			}
		} else if (issue.code === "invalid_key") {
			errors.push({ path: joinPath(issue.path), message: issue.issues[0]?.message ?? "is not a valid name" });
		} else {
			errors.push({ path: joinPath(issue.path), message: issue.message });
		}
	}
	return errors;
}

export function joinPath(path: readonly PropertyKey[]): string {
	return path.length === 0 ? ROOT_PATH : path.map(String).join("/");
}

/** The keys an object schema allows at `path`, following records and defaults. */
function knownKeys(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
	let current: unknown = schema;
	for (const step of [...path, null]) {
		for (;;) {
			if (current instanceof z.ZodDefault || current instanceof z.ZodOptional) current = current.unwrap();
			else break;
		}
		if (step === null) break;
		if (current instanceof z.ZodObject) current = current.shape[String(step)];
		else if (current instanceof z.ZodRecord) current = current.valueType;
		else if (current instanceof z.ZodArray) current = current.element;
		else return [];
	}
	return current instanceof z.ZodObject ? Object.keys(current.shape) : [];
}

function closest(word: string, candidates: string[]): string | undefined {
	let best: string | undefined;
	let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
	for (const candidate of candidates) {
		const d = distance(word.toLowerCase(), candidate.toLowerCase());
		if (d < bestDistance) {
			best = candidate;
			bestDistance = d;
		}
	}
	return best;
}

/** Levenshtein distance; the words are config keys, a few characters long. */
function distance(a: string, b: string): number {
	let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
	for (let i = 1; i <= a.length; i++) {
		const row = [i];
		for (let j = 1; j <= b.length; j++) {
			row[j] = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
		}
		previous = row;
	}
	return previous[b.length]!;
}
