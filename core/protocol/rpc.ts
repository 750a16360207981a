import * as z from "zod";
import { errorInfo } from "./error-info.js";
import { deployEvent } from "./events.js";

/** The largest binary part a call may carry (frames.ts): objects.write's chunks are far smaller. */
export const MAX_BINARY_PART_BYTES = 4 * 1024 * 1024;

/**
 * The wire: newline-delimited JSON over one byte stream (an SSH exec channel, or
 * a child's stdio for the local provider). Many calls share it, told apart by id.
 * A call with `bytes` is followed by that many raw bytes, its binary part (frames.ts):
 * a method that takes one says so (`binaryPart` in methods.ts).
 */
export const clientMessage = z.union([
	z.object({ id: z.number().int(), method: z.string(), params: z.unknown(), bytes: z.number().int().min(0).max(MAX_BINARY_PART_BYTES).optional() }),
	z.object({ id: z.number().int(), cancel: z.literal(true) }),
]);
export type ClientMessage = z.infer<typeof clientMessage>;

export const agentMessage = z.union([
	z.object({ id: z.number().int(), event: deployEvent }),
	z.object({ id: z.number().int(), result: z.unknown() }),
	z.object({ id: z.number().int(), error: errorInfo }),
]);
export type AgentMessage = z.infer<typeof agentMessage>;

/** Longest line either side accepts: a batch of objects.put stays below it. */
export const MAX_LINE_BYTES = 64 * 1024 * 1024;

export const PROTOCOL_VERSION = 1;

/** Calls `onLine` for each complete line of a byte stream; refuses absurdly long lines. */
export function splitLines(onLine: (line: string) => void, onTooLong: () => void): (chunk: Buffer) => void {
	let pending: Buffer[] = [];
	let pendingBytes = 0;
	return (chunk) => {
		let start = 0;
		for (let nl = chunk.indexOf(10, start); nl !== -1; nl = chunk.indexOf(10, start)) {
			pending.push(chunk.subarray(start, nl));
			const line = Buffer.concat(pending).toString("utf8");
			pending = [];
			pendingBytes = 0;
			start = nl + 1;
			if (line.length > 0) onLine(line);
		}
		if (start < chunk.length) {
			pending.push(chunk.subarray(start));
			pendingBytes += chunk.length - start;
			if (pendingBytes > MAX_LINE_BYTES) {
				pending = [];
				pendingBytes = 0;
				onTooLong();
			}
		}
	};
}
