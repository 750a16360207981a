import assert from "node:assert/strict";
import { test } from "vitest";
import { formatSize } from "../../../core/protocol/size.js";
import { formatSize as rendererSize } from "../../../renderer/src/text/size.js";

// The one byte formatter (issue 15, item 4): pretty-bytes in binary units, the same text in the CLI, the agent's messages and the desktop app.
test("sizes read in binary units, at most three significant digits", () => {
	const cases: [number, string][] = [
		[0, "0 B"],
		[512, "512 B"],
		[1023, "1023 B"],
		[1536, "1.5 KiB"],
		[256 * 1024, "256 KiB"],
		[12.34 * 1024 ** 2, "12.3 MiB"],
		[256 * 1024 ** 2, "256 MiB"],
		[1.5 * 1024 ** 3, "1.5 GiB"],
	];
	for (const [bytes, text] of cases) {
		assert.equal(formatSize(bytes), text);
		assert.equal(rendererSize(bytes), text, "the desktop app writes a size as the CLI does");
	}
});
