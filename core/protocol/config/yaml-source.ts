import { isMap, isScalar, isSeq, LineCounter, parseDocument } from "yaml";
import type { ConfigError } from "./issues.js";

/** deploy.yaml parsed: its data, or syntax errors with line and column. */
export type ParsedYaml = { ok: true; data: unknown; locate: (path: string) => Position | undefined } | { ok: false; errors: ConfigError[] };

export interface Position {
	line: number;
	column: number;
}

/**
 * Parses YAML keeping the document, so that a schema error found later in the
 * plain data can still point at its line (`locate("processes/web/instances")`).
 */
export function parseYaml(text: string, fileName: string): ParsedYaml {
	const lineCounter = new LineCounter();
	// uniqueKeys (the default) makes a key written twice an error, not a silent override.
	const doc = parseDocument(text, { lineCounter, prettyErrors: false });
	if (doc.errors.length > 0) {
		return {
			ok: false,
			errors: doc.errors.map((error) => {
				const { line, col } = lineCounter.linePos(error.pos[0]);
				return { path: `${fileName}:${line}:${col}`, message: error.message.split("\n")[0]!, line, column: col };
			}),
		};
	}
	const locate = (path: string): Position | undefined => {
		const offset = offsetOf(doc, path);
		if (offset === undefined) return undefined;
		const { line, col } = lineCounter.linePos(offset);
		return { line, column: col };
	};
	// An empty file is an empty config, not an error: every key has a default.
	return { ok: true, data: doc.toJS() ?? {}, locate };
}

type Doc = ReturnType<typeof parseDocument>;

/** Offset of the key (or list item) a slash path names: where a person should look. */
function offsetOf(doc: Doc, path: string): number | undefined {
	const steps = path.split("/");
	const last = steps.pop()!;
	const parent = steps.length === 0 ? doc.contents : doc.getIn(steps, true);
	if (isMap(parent)) {
		const pair = parent.items.find((item) => isScalar(item.key) && String(item.key.value) === last);
		const node = pair?.key;
		return isScalar(node) ? node.range?.[0] : undefined;
	}
	if (isSeq(parent)) {
		const item = parent.items[Number(last)];
		return item && typeof item === "object" && "range" in item ? (item.range as [number, number, number] | undefined)?.[0] : undefined;
	}
	return undefined;
}
