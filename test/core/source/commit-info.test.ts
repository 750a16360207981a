// Issue 14: the branch and commit subject a deploy carries are made into what the wire accepts (pure).
import assert from "node:assert/strict";
import { test } from "vitest";
import { COMMIT_MESSAGE_MAX, commitMessage } from "../../../core/protocol/source-info.js";
import { cleanBranch, commitSubject } from "../../../core/source/commit-info.js";

test("the subject is the first non-empty line, one line of text", () => {
	assert.equal(commitSubject("\n  Fix the login form\n\nBody text\n"), "Fix the login form");
	assert.equal(commitSubject("tab\there \x1b]0;title\x07 and\r\n"), "tab here ]0;title and");
	assert.equal(commitSubject("\n \n"), null);
	assert.equal(commitSubject(null), null);
});

test("a long subject is cut to the bound, between characters, and still passes the wire's check", () => {
	const long = `${"é".repeat(150)}${"😀".repeat(100)}`;
	const subject = commitSubject(long) ?? "";
	assert.ok(subject.length <= COMMIT_MESSAGE_MAX, String(subject.length));
	assert.ok(subject.endsWith("😀…"));
	assert.equal(commitMessage.safeParse(subject).success, true);
	assert.equal(commitMessage.safeParse("two\nlines").success, false);
});

test("a branch name the wire would refuse is left out, not a failed deploy", () => {
	assert.equal(cleanBranch("feature/login"), "feature/login");
	assert.equal(cleanBranch("bad name"), null);
	assert.equal(cleanBranch(null), null);
});
