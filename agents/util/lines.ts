/**
 * Splits a byte stream into text lines. Unlike the RPC splitter it keeps empty lines
 * and can flush a last line without a newline: build output often ends that way.
 */
export function lineSplitter(onLine: (line: string) => void, maxLine = 16 * 1024): { push: (chunk: Buffer | string) => void; flush: () => void } {
	let pending = "";
	return {
		push(chunk) {
			pending += chunk.toString();
			const parts = pending.split("\n");
			pending = parts.pop() ?? "";
			for (const part of parts) onLine(clip(part.endsWith("\r") ? part.slice(0, -1) : part, maxLine));
			// A program printing without newlines must not grow the agent's memory: cut it into lines.
			while (pending.length > maxLine) {
				onLine(pending.slice(0, maxLine));
				pending = pending.slice(maxLine);
			}
		},
		flush() {
			if (pending.length > 0) onLine(pending);
			pending = "";
		},
	};
}

function clip(line: string, max: number): string {
	return line.length > max ? `${line.slice(0, max)}… (${line.length - max} more characters)` : line;
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
