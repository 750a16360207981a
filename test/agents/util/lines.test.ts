// Text lines from byte streams (agents/util/lines.ts, tail.ts): a chunk or read boundary
// inside a multi-byte UTF-8 character must not turn it into U+FFFD.
import assert from "node:assert/strict";
import { appendFile, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, test } from "vitest";
import { followLines, lastLines } from "../../../agents/util/tail.js";
import { lineSplitter } from "../../../agents/util/lines.js";

let work: string;
beforeAll(async () => {
	work = await mkdtemp(join(tmpdir(), "deploy-lines-"));
});
afterAll(() => rm(work, { recursive: true, force: true }));

function split(chunks: Buffer[], maxLine?: number): string[] {
	const lines: string[] = [];
	const splitter = lineSplitter((line) => lines.push(line), maxLine);
	for (const chunk of chunks) splitter.push(chunk);
	splitter.flush();
	return lines;
}

/** The bytes of `text`, cut at every byte offset in `at`. */
function cutBytes(text: string, ...at: number[]): Buffer[] {
	const bytes = Buffer.from(text);
	const edges = [0, ...at, bytes.length];
	return edges.slice(1).map((end, n) => bytes.subarray(edges[n], end));
}

test("a chunk boundary inside a 2, 3 or 4 byte character keeps the character", () => {
	const text = "café 10 € 🚀 done\nnext\n";
	const bytes = Buffer.from(text);
	// Every possible cut, and cuts at every byte at once.
	for (let at = 1; at < bytes.length; at++) assert.deepEqual(split(cutBytes(text, at)), ["café 10 € 🚀 done", "next"], `cut at byte ${at}`);
	const oneByteChunks = [...bytes].map((byte) => Buffer.from([byte]));
	assert.deepEqual(split(oneByteChunks), ["café 10 € 🚀 done", "next"]);
});

test("a last line without a newline, and a character the stream never finished", () => {
	assert.deepEqual(split(cutBytes("a\nlast €", 9)), ["a", "last €"]);
	assert.deepEqual(split([Buffer.from("cut "), Buffer.from("€").subarray(0, 2)]), ["cut \uFFFD"]);
});

test("a long line cut into pieces never parts an emoji's surrogate pair", () => {
	// 5 units: "abcd" then the high half of 🚀 would be at the cut.
	const lines = split([Buffer.from("abcd🚀efgh🚀")], 5);
	assert.deepEqual(lines.join(""), "abcd🚀efgh🚀");
	for (const line of lines) assert.ok(!/[\uD800-\uDBFF]$|^[\uDC00-\uDFFF]/.test(line), JSON.stringify(lines));
});

test("lastLines reads backwards in 64 KB reads: a character across a read boundary stays whole", async () => {
	const file = join(work, "tail.log");
	// The last 64 KB of the file start one byte into the "€" of line "b €" (bytes 2-4 of it):
	// the tail, from that line on, is 64 KB + 3 bytes.
	const filler = Array.from({ length: 2000 }, (_, n) => `line ${n} ${"x".repeat(20)}`);
	const used = Buffer.byteLength(`b €\n${filler.join("\n")}\n`);
	const last = "z".repeat(64 * 1024 + 3 - used - 1);
	const tailLines = ["b €", ...filler, last];
	const tail = `${tailLines.join("\n")}\n`;
	assert.equal(Buffer.byteLength(tail), 64 * 1024 + 3);
	await writeFile(file, `first\n${"p".repeat(100)}\n${tail}`);
	const { lines } = await lastLines(file, tailLines.length);
	assert.equal(lines[0], "b €");
	assert.deepEqual(lines, tailLines);
});

test("followLines reads what is appended; a write ending inside a character does not break it", async () => {
	const file = join(work, "follow.log");
	await writeFile(file, "");
	const euro = Buffer.from("€");
	const seen: string[] = [];
	const controller = new AbortController();
	const following = followLines(file, 0, controller.signal, (line) => seen.push(line));
	await appendFile(file, Buffer.concat([Buffer.from("price 10 "), euro.subarray(0, 1)]));
	// The follower polls every 250 ms: let it read the partial character before the rest comes.
	await new Promise((resolve) => setTimeout(resolve, 600));
	await appendFile(file, Buffer.concat([euro.subarray(1), Buffer.from("\n")]));
	for (let i = 0; i < 40 && seen.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 100));
	controller.abort();
	await following;
	assert.deepEqual(seen, ["price 10 €"]);
});
