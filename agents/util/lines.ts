import { StringDecoder } from "node:string_decoder";

/**
 * Splits a byte stream into text lines. Unlike the RPC splitter it keeps empty lines
 * and can flush a last line without a newline: build output often ends that way.
 * Bytes are decoded by one stream decoder: a chunk boundary can fall inside a
 * multi-byte UTF-8 character, whose first bytes wait for the next chunk instead of
 * becoming U+FFFD.
 */
export function lineSplitter(onLine: (line: string) => void, maxLine = 16 * 1024): { push: (chunk: Buffer | string) => void; flush: () => void } {
	const decoder = new StringDecoder("utf8");
	let pending = "";
	const take = (text: string) => {
		pending += text;
		const parts = pending.split("\n");
		pending = parts.pop() ?? "";
		for (const part of parts) onLine(clip(part.endsWith("\r") ? part.slice(0, -1) : part, maxLine));
		// A program printing without newlines must not grow the agent's memory: cut it into lines.
		while (pending.length > maxLine) {
			const cut = cutAt(pending, maxLine);
			onLine(pending.slice(0, cut));
			pending = pending.slice(cut);
		}
	};
	return {
		push(chunk) {
			take(typeof chunk === "string" ? chunk : decoder.write(chunk));
		},
		flush() {
			// Bytes of a character the stream never finished come out as U+FFFD.
			take(decoder.end());
			if (pending.length > 0) onLine(pending);
			pending = "";
		},
	};
}

/** `max`, or one less where that would part a surrogate pair (an emoji is two UTF-16 units). */
function cutAt(text: string, max: number): number {
	const code = text.charCodeAt(max - 1);
	return code >= 0xd800 && code <= 0xdbff ? max - 1 : max;
}

function clip(line: string, max: number): string {
	if (line.length <= max) return line;
	const cut = cutAt(line, max);
	return `${line.slice(0, cut)}… (${line.length - cut} more characters)`;
}

/** Keeps the last `size` items pushed: the lines an error's details show. */
export class LastLines {
	private readonly items: string[] = [];
	constructor(private readonly size = 20) {}
	push(line: string): void {
		this.items.push(line);
		if (this.items.length > this.size) this.items.shift();
	}
	get(): string[] {
		return [...this.items];
	}
}
