// Issue 18: the push's remote output, pure: checked by equality.
import assert from "node:assert/strict";
import { test } from "vitest";
import { errorLines, eventLine, resultLines } from "../../../agents/git/push-output.js";

test("steps and log lines read as a build's output", () => {
	assert.equal(eventLine({ type: "step", step: "build", status: "started" }), "-----> build");
	assert.equal(eventLine({ type: "step", step: "build", status: "done", durationMs: 1500 }), "-----> build done (1.5s)");
	assert.equal(eventLine({ type: "step", step: "install", status: "skipped", message: "no dependencies" }), "-----> install skipped: no dependencies");
	assert.equal(eventLine({ type: "log", stream: "stderr", line: "error: broken" }), "       error: broken");
	assert.equal(eventLine({ type: "progress", step: "upload", done: 1, total: 2, unit: "bytes" }), null);
});

test("each ref's outcome, and a failure that says the push is rejected", () => {
	assert.deepEqual(
		resultLines([
			{ ref: "refs/heads/main", outcome: "deployed", app: "shop", deployment: "d0000000001", url: "http://shop.example.com" },
			{ ref: "refs/heads/x", outcome: "removed", app: "x-shop", note: "preview x-shop of branch x removed (1 instance(s) stopped)" },
		]),
		["=====> refs/heads/main: shop d0000000001 is live at http://shop.example.com", "=====> refs/heads/x: preview x-shop of branch x removed (1 instance(s) stopped)"],
	);
	assert.deepEqual(errorLines({ code: "BUILD_FAILED", message: "exit 3", hint: "Read the output above.", details: ["last line"] }), [
		"!!!!!> BUILD_FAILED: exit 3",
		"!!!!!> Read the output above.",
		"       last line",
		"!!!!!> the push is rejected: the branch on the server is unchanged",
	]);
});

test("a push of several branches: each ref's outcome, the failed one's error without the build lines already shown, and what stays live", () => {
	const shown = new Set(["compiling", "error: the widget is broken"]);
	assert.deepEqual(
		resultLines(
			[
				{ ref: "refs/heads/main", outcome: "deployed", app: "shop", deployment: "d0000000001", url: "http://shop.example.com" },
				{ ref: "refs/heads/b", outcome: "failed", app: "b-shop", deployment: "d0000000002", error: { code: "BUILD_FAILED", message: "exit 3", hint: "Fix the build.", details: ["compiling", "error: the widget is broken", "not streamed"] } },
				{ ref: "refs/heads/c", outcome: "removed", app: "c-shop", note: "preview c-shop of branch c removed (1 instance(s) stopped)" },
			],
			shown,
		),
		[
			"=====> refs/heads/main: shop d0000000001 is live at http://shop.example.com",
			"=====> refs/heads/b: failed (deployment d0000000002 of b-shop)",
			"!!!!!> BUILD_FAILED: exit 3",
			"!!!!!> Fix the build.",
			"       not streamed",
			"=====> refs/heads/c: preview c-shop of branch c removed (1 instance(s) stopped)",
			"!!!!!> the push is rejected: refs/heads/b failed, and git accepts all of a push's branches or none, so no branch on the server moved",
			"!!!!!> done and kept: refs/heads/main (shop d0000000001), refs/heads/c (preview removed); their branches on the server still point at the old commits, so the next push sends them again (and finds them unchanged)",
		],
	);
});
