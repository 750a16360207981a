import assert from "node:assert/strict";
import { test } from "vitest";
import { formatAge, formatDuration, formatLatency, parseDuration } from "../../../core/protocol/duration.js";
import { formatLatency as rendererLatency, formatDuration as rendererDuration } from "../../../renderer/src/text/duration.js";

// The one duration formatter and parser (issue 15, item 4): pretty-ms and ms, the same text in the CLI, the agent and the desktop app.
test("a duration reads in two units at most, the same in the CLI and the desktop app", () => {
	const cases: [number, string][] = [
		[0, "0ms"],
		[850, "850ms"],
		[12_340, "12.3s"],
		[75_000, "1m 15s"],
		[245_000, "4m 5s"],
		[7_380_000, "2h 3m"],
		[3 * 86_400_000 + 4 * 3_600_000 + 5_000, "3d 4h"],
		[-5, "0ms"],
	];
	for (const [ms, text] of cases) {
		assert.equal(formatDuration(ms), text);
		assert.equal(rendererDuration(ms), text, "the desktop app writes a duration as the CLI does");
	}
});

test("an age is its largest unit alone, for a table column", () => {
	assert.deepEqual([400, 3_000, 300_000, 330_000, 3 * 3_600_000, 2 * 86_400_000 + 5].map(formatAge), ["0s", "3s", "5m", "5m", "3h", "2d"]);
});

test("a duration as a person writes it, in milliseconds; null for what is not one", () => {
	assert.deepEqual(["90s", "10m", "12h", "7d", "2w", " 1d "].map(parseDuration), [90_000, 600_000, 43_200_000, 604_800_000, 1_209_600_000, 86_400_000]);
	for (const bad of ["", "d", "soon", "1x"]) assert.equal(parseDuration(bad), null, bad);
});

test("a latency keeps a tenth of a millisecond under 10 ms, the same in the CLI and the desktop app", () => {
	const cases: [number, string][] = [
		[0.4, "0.4ms"],
		[3.45, "3.5ms"],
		[120.4, "120ms"],
		[1234, "1.2s"],
	];
	for (const [ms, text] of cases) {
		assert.equal(formatLatency(ms), text);
		assert.equal(rendererLatency(ms), text);
	}
});
