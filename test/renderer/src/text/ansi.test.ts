// Issue 14 (item 10): app and build output in the UI shows colours as classes, never escape codes (pure).
import assert from "node:assert/strict";
import { test } from "vitest";
import { ansiPlain, ansiSegments } from "../../../../renderer/src/text/ansi.js";

test("morgan's dev line: the words, the status in green, the timing dim", () => {
	const line = "\x1b[0mGET /coloured \x1b[32m200\x1b[0m 0.412 ms - \x1b[90m27\x1b[0m";
	assert.deepEqual(ansiSegments(line), [
		{ text: "GET /coloured ", className: "" },
		{ text: "200", className: "ansi-fg-2" },
		{ text: " 0.412 ms - ", className: "" },
		{ text: "27", className: "ansi-fg-8" },
	]);
	assert.equal(ansiPlain(line), "GET /coloured 200 0.412 ms - 27");
});

test("bold, resets of one attribute, 256-colour and background forms skipped whole", () => {
	assert.deepEqual(ansiSegments("\x1b[1;31merror\x1b[22m plain red\x1b[39m \x1b[38;5;200;44mx\x1b[38;2;1;2;3mz\x1b[m"), [
		{ text: "error", className: "ansi-fg-1 ansi-bold" },
		{ text: " plain red", className: "ansi-fg-1" },
		{ text: " xz", className: "" },
	]);
});

test("every other sequence and control character goes: titles, clipboard, screen clears, BEL, C1 forms", () => {
	const hostile = "a\x1b[2Jb\x1b]0;title\x07c\x1b]52;c;Y3VybA==\x1b\\d\x07e\x9b31mf\x9b2Jg\x1bch";
	assert.deepEqual(ansiSegments(hostile), [
		{ text: "abcde", className: "" },
		{ text: "fgh", className: "ansi-fg-1" },
	]);
	assert.equal(ansiPlain("unterminated \x1b]0;the rest"), "unterminated ");
	assert.equal(ansiPlain("tab\tstays"), "tab\tstays");
});
