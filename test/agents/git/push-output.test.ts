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
		resultLines({
			results: [
				{ ref: "refs/heads/main", outcome: "deployed", app: "shop", deployment: "d0000000001", url: "http://shop.example.com" },
				{ ref: "refs/heads/x", outcome: "removed", app: "x-shop", note: "preview x-shop of branch x removed (1 instance(s) stopped)" },
			],
		}),
		["=====> refs/heads/main: shop d0000000001 is live at http://shop.example.com", "=====> refs/heads/x: preview x-shop of branch x removed (1 instance(s) stopped)"],
	);
	assert.deepEqual(errorLines({ code: "BUILD_FAILED", message: "exit 3", hint: "Read the output above.", details: ["last line"] }), [
		"!!!!!> BUILD_FAILED: exit 3",
		"!!!!!> Read the output above.",
		"       last line",
		"!!!!!> the push is rejected: the branch on the server is unchanged",
	]);
});
