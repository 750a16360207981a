// The client's side of the wire: lines of JSON (rpc.ts), any of which may be followed
// by a binary part whose length the line itself gives (a call's top-level `bytes`).
// objects.write's chunks travel that way, as raw bytes rather than base64 inside their
// line: a third fewer bytes to encrypt, relay and decrypt, and neither end builds,
// decodes or collects a string as large as the chunk.
import { MAX_LINE_BYTES } from "./rpc.js";

export interface FrameHandlers {
	/**
	 * A complete line. Returns how many raw bytes follow it (0: none): only the reader
	 * of the line knows. null stops the reading for good (a line whose binary part has
	 * no length the stream could be followed past).
	 */
	line(text: string): number | null;
	/**
	 * The binary part that followed the last line, whole, as the pieces the stream
	 * brought it in: views of the stream's own chunks, so a part is never copied here
	 * (a 200 MB upload would otherwise allocate and copy 200 MB more on the agent).
	 */
	bytes(pieces: Buffer[]): void;
	/** A line longer than MAX_LINE_BYTES: nothing more is read. */
	tooLong(): void;
}

/** A reader of a byte stream's chunks, calling `handlers` for each line and each binary part, however the chunks cut them. */
export function splitFrames(handlers: FrameHandlers): (chunk: Buffer) => void {
	let line: Buffer[] = [];
	let lineBytes = 0;
	/** The binary part being read: its pieces so far, and how many bytes it still lacks. */
	let part: Buffer[] = [];
	let partLacks = 0;
	let stopped = false;
	return (chunk) => {
		let start = 0;
		while (start < chunk.length && !stopped) {
			if (partLacks > 0) {
				const take = Math.min(partLacks, chunk.length - start);
				// A view of the socket's chunk, not a copy: node never reuses a read's buffer.
				part.push(chunk.subarray(start, start + take));
				start += take;
				partLacks -= take;
				if (partLacks > 0) return;
				const pieces = part;
				part = [];
				handlers.bytes(pieces);
				continue;
			}
			const nl = chunk.indexOf(10, start);
			if (nl === -1) {
				line.push(chunk.subarray(start));
				lineBytes += chunk.length - start;
				if (lineBytes > MAX_LINE_BYTES) {
					stopped = true;
					line = [];
					handlers.tooLong();
				}
				return;
			}
			line.push(chunk.subarray(start, nl));
			const text = Buffer.concat(line).toString("utf8");
			line = [];
			lineBytes = 0;
			start = nl + 1;
			if (text.length === 0) continue;
			const follows = handlers.line(text);
			if (follows === null) stopped = true;
			else partLacks = follows;
		}
	};
}
