import assert from "node:assert/strict";
import { describe, test } from "vitest";
import { progressLine } from "../../../cli/output/progress-line.js";

const MB = 1024 * 1024;

describe("progressLine", () => {
	test("bytes sent of the total, a bar, and the rate over the measured window", () => {
		assert.equal(progressLine(50 * MB, 200 * MB, { bytes: 40 * MB, ms: 2000 }), "  upload █████░░░░░░░░░░░░░░░ 50 MiB of 200 MiB  20 MiB/s");
	});
	test("no rate before anything was measured; a full bar at the end", () => {
		assert.equal(progressLine(MB / 4, 200 * MB, { bytes: 0, ms: 0 }), "  upload ░░░░░░░░░░░░░░░░░░░░ 256 KiB of 200 MiB");
		assert.equal(progressLine(200 * MB, 200 * MB, { bytes: 200 * MB, ms: 4000 }, 4), "  upload ████ 200 MiB of 200 MiB  50 MiB/s");
	});
});
