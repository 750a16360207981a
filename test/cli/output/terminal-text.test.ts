// What the CLI prints of a server's text (cli/output/terminal-text.ts): no sequence a
// terminal would obey, the words around them kept.
import assert from "node:assert/strict";
import { test } from "vitest";
import { printable } from "../../../cli/output/terminal-text.js";

test("the sequences of an app that attacks the terminal go; its words stay", () => {
	const cases: [string, string][] = [
		["\x1b[2Jcleared", "cleared"],
		["before\x1b]0;a window title\x07after", "beforeafter"],
		["\x1b]52;c;aGVsbG8gd29ybGQ+Lw==\x07copied", "copied"],
		["\x1b]52;c;aGk=\x1b\\with ST", "with ST"],
		["C1 \x9d0;title\x9c form, C1 CSI \x9b2J", "C1  form, C1 CSI "],
		["DCS \x1bP1$r0m\x1b\\ APC \x1b_x\x1b\\ done", "DCS  APC  done"],
		["bell\x07 backspace\b carriage\r return DEL\x7f", "bell backspace carriage return DEL"],
		["\x1b[1;31mred\x1b[0m \x1b[38;2;1;2;3mtrue colour\x1b[m", "red true colour"],
		["reset\x1bc charset\x1b(B cursor\x1b7\x1b8 keypad\x1b=", "reset charset cursor keypad"],
		["unterminated \x1b]0;swallows the rest", "unterminated "],
		["broken \x1b[12é and a lone escape \x1b", "broken 12é and a lone escape "],
		["tab\tand\nnewline stay, and ünïcödé € 🚀", "tab\tand\nnewline stay, and ünïcödé € 🚀"],
	];
	for (const [input, expected] of cases) assert.equal(printable(input), expected, JSON.stringify(input));
});

test("nothing a terminal reads as a control is ever left, whatever the bytes", () => {
	// Every C0 and C1 control after every introducer, and a random soup of them.
	const controls = [...Array.from({ length: 32 }, (_, n) => n), ...Array.from({ length: 33 }, (_, n) => 0x7f + n)].map((n) => String.fromCharCode(n));
	let soup = "";
	for (const a of controls) for (const b of ["[", "]", "P", "", ...controls]) soup += `${a}${b}x`;
	for (let n = 0; n < 20_000; n++) soup += String.fromCharCode(Math.floor(Math.random() * 0xa0));
	// biome-ignore lint/suspicious/noControlCharactersInRegex: looking for control characters is the point
	assert.doesNotMatch(printable(soup), /[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
});
