import assert from "node:assert/strict";
import { describe, test } from "vitest";
import { dotenvValues, formatDotenvEntry, parseDotenv } from "../../../core/env/dotenv.js";
import { mergeIntoDotenv } from "../../../core/env/pull-merge.js";
import { resolveSince } from "../../../core/deploy/log-since.js";
import { applyEnvChange } from "../../../agents/env/change.js";

describe(".env files", () => {
	test("quotes, comments, export prefix, escapes and multi-line values read as dotenv reads them", () => {
		const text = [
			"# a comment",
			"export A=plain value # trailing comment",
			"B='single #not a comment'",
			'C="line1\\nline2 \\"quoted\\""',
			"D=",
			'E="spans',
			'two lines"',
			"  F = spaced  ",
			"A=last wins",
		].join("\n");
		const parsed = parseDotenv(text);
		assert.deepEqual(parsed.problems, []);
		assert.deepEqual(dotenvValues(parsed), { A: "last wins", B: "single #not a comment", C: 'line1\nline2 "quoted"', D: "", E: "spans\ntwo lines", F: "spaced" });
	});

	test("bad lines are named by number, never by value", () => {
		const parsed = parseDotenv("OK=1\njust words\n1BAD=secret-value\nQ=\"open\n");
		assert.deepEqual(parsed.problems, ["line 2: not KEY=VALUE", "line 3: 1BAD is not a variable name (letters, digits and _, not starting with a digit)", "line 4: Q has no closing \""]);
		assert.ok(!parsed.problems.join(" ").includes("secret-value"));
	});

	test("every formatted value reads back the same", () => {
		for (const value of ["simple", "", "two words", "it's", 'say "hi"', "multi\nline", "back\\slash", "#hash", "a'b\"c\nd"]) {
			assert.deepEqual(dotenvValues(parseDotenv(formatDotenvEntry("K", value))), { K: value }, JSON.stringify(value));
		}
	});

	test("a pull merge changes values in place, appends new keys and keeps local-only ones", () => {
		const local = "# top\nKEEP=mine\nA=old\nB=same\nM=\"multi\nline\"\n";
		const { text, report } = mergeIntoDotenv(local, { A: "new", B: "same", M: "one", Z: "added value" });
		assert.equal(text, "# top\nKEEP=mine\nA=new\nB=same\nM=one\nZ='added value'\n");
		assert.deepEqual(report, { added: ["Z"], changed: ["A", "M"], unchanged: ["B"], keptLocal: ["KEEP"] });
		assert.deepEqual(mergeIntoDotenv("", { A: "1" }), { text: "A=1\n", report: { added: ["A"], changed: [], unchanged: [], keptLocal: [] } });
	});
});

describe("env changes on the agent", () => {
	test("set and unset report keys only; setting a key to its value is unchanged", () => {
		const now = "2026-11-27T07:00:00.000Z";
		const current = { A: { value: "1", updatedAt: "t0" }, B: { value: "2", updatedAt: "t0" } };
		const { vars, summary } = applyEnvChange(current, { A: "1", C: "3", B: "20" }, ["B", "GONE", "A"], now);
		assert.deepEqual(summary, { added: ["C"], changed: ["B"], removed: [], unchanged: ["A"] });
		assert.deepEqual(vars, { A: { value: "1", updatedAt: "t0" }, B: { value: "20", updatedAt: now }, C: { value: "3", updatedAt: now } });
		assert.deepEqual(applyEnvChange(current, {}, ["A"], now).summary, { added: [], changed: [], removed: ["A"], unchanged: [] });
	});
});

describe("logs --since", () => {
	test("durations count back from now; ISO times are kept; anything else is refused", () => {
		const now = Date.parse("2026-11-27T12:00:00.000Z");
		assert.equal(resolveSince("10m", now), "2026-11-27T11:50:00.000Z");
		assert.equal(resolveSince("2h", now), "2026-11-27T10:00:00.000Z");
		assert.equal(resolveSince("1d", now), "2026-11-26T12:00:00.000Z");
		assert.equal(resolveSince("2026-11-27T06:00:00Z", now), "2026-11-27T06:00:00.000Z");
		assert.throws(() => resolveSince("yesterday", now), { code: "BAD_ARGUMENT" });
		assert.throws(() => resolveSince("10 weeks", now), { code: "BAD_ARGUMENT" });
	});
});
