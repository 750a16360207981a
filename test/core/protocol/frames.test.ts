// The client's side of the wire (core/protocol/frames.ts): lines, each maybe followed by
// a binary part of the length the line gives. However the stream is cut into chunks,
// the same lines and the same parts come out, a part's bytes are never read as lines,
// and a line that stops the reading stops it.
import assert from "node:assert/strict";
import { test } from "vitest";
import { MAX_LINE_BYTES, splitFrames } from "../../../core/protocol/index.js";

type Frame = { line: string } | { part: Buffer };

/** Lines of the form `<text> <n>` announce n bytes of binary part; "stop" stops the reading. */
function read(chunks: Buffer[]): { frames: Frame[]; tooLong: boolean } {
	const frames: Frame[] = [];
	let tooLong = false;
	const push = splitFrames({
		line: (text) => {
			frames.push({ line: text });
			if (text === "stop") return null;
			return Number(text.split(" ")[1] ?? 0);
		},
		bytes: (pieces) => frames.push({ part: Buffer.concat(pieces) }),
		tooLong: () => {
			tooLong = true;
		},
	});
	for (const chunk of chunks) push(chunk);
	return { frames, tooLong };
}

// A part full of newlines and of text that looks like lines announcing parts of their own.
const part = Buffer.from("x 3\n\ny 2\nab\n");
const stream = Buffer.concat([Buffer.from(`first 0\nsecond ${part.length}\n`), part, Buffer.from("third 0\n")]);
const expected: Frame[] = [{ line: "first 0" }, { line: `second ${part.length}` }, { part }, { line: "third 0" }];

test("one chunk: the lines and the part, the part's newlines not taken for lines", () => {
	assert.deepEqual(read([stream]).frames, expected);
});

test("cut anywhere, in two or in single bytes: the same frames", () => {
	for (let at = 0; at <= stream.length; at++) assert.deepEqual(read([stream.subarray(0, at), stream.subarray(at)]).frames, expected, `cut at ${at}`);
	assert.deepEqual(read([...stream].map((byte) => Buffer.from([byte]))).frames, expected);
});

test("a part that ends a chunk, and a line with none after it, read right", () => {
	const parts = [Buffer.from("a 2\n"), Buffer.from("\n\n"), Buffer.from("b 0\nc 1\n"), Buffer.from("z")];
	assert.deepEqual(read(parts).frames, [{ line: "a 2" }, { part: Buffer.from("\n\n") }, { line: "b 0" }, { line: "c 1" }, { part: Buffer.from("z") }]);
});

test("a line that stops the reading: nothing after it is read", () => {
	assert.deepEqual(read([Buffer.from("first 0\nstop\nafter 0\n")]).frames, [{ line: "first 0" }, { line: "stop" }]);
});

test("a line longer than the protocol allows: refused once, nothing more is read", () => {
	const { frames, tooLong } = read([Buffer.alloc(MAX_LINE_BYTES + 1, "a"), Buffer.from("\nlater 0\n")]);
	assert.equal(tooLong, true);
	assert.deepEqual(frames, []);
});
