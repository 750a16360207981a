import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { test } from "vitest";
import { shellQuote } from "../../../core/protocol/shell-quote.js";

// The one quoter of the client and the agent (issue 15, item 4): a real /bin/sh reads each word back as it was.
test("a quoted word reaches sh as the same bytes, whatever it holds", () => {
	const words = ["plain", "with space", "it's", "'", "''", "$HOME `id` $(id)", "a\nb", "*?[x]", "", "-n", "é ü", '"double"', "\\back"];
	for (const word of words) {
		const echoed = execFileSync("/bin/sh", ["-c", `printf %s ${shellQuote(word)}`], { encoding: "utf8" });
		assert.equal(echoed, word, `quoted as ${shellQuote(word)}`);
	}
});

test("a word of safe characters stays unquoted, so command lines read as written", () => {
	assert.equal(shellQuote("dist/app_1.2@x:y,z=w+%"), "dist/app_1.2@x:y,z=w+%");
	assert.equal(shellQuote("it's"), `'it'"'"'s'`);
});
