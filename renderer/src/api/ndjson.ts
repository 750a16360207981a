/**
 * Splits a byte stream into parsed JSON lines, one value at a time, as they arrive:
 * the wire format of `deploy ui`'s streaming methods.
 */
export async function* ndjsonLines(body: ReadableStream<Uint8Array>): AsyncGenerator<unknown> {
	const reader = body.getReader();
	const decoder = new TextDecoder();
	let buffer = "";
	try {
		for (;;) {
			const { done, value } = await reader.read();
			buffer += done ? decoder.decode() : decoder.decode(value, { stream: true });
			let newline = buffer.indexOf("\n");
			while (newline !== -1) {
				const line = buffer.slice(0, newline).trim();
				buffer = buffer.slice(newline + 1);
				if (line) yield JSON.parse(line);
				newline = buffer.indexOf("\n");
			}
			if (done) break;
		}
		if (buffer.trim()) yield JSON.parse(buffer);
	} finally {
		reader.releaseLock();
	}
}
