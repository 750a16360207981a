// `deploy ls` rows (issue 14): pure, checked by equality.
import assert from "node:assert/strict";
import { test } from "vitest";
import { commitLabel, lsRow, took } from "../../../cli/output/deployments.js";
import { formatDuration } from "../../../core/protocol/duration.js";
import type { DeploymentRecord } from "../../../core/protocol/index.js";

const sha = "0123456789abcdef0123456789abcdef01234567";
const record: DeploymentRecord = {
	id: "dmx7m6odf3f28",
	app: "hello",
	status: "live",
	commit: `${sha}-dirty`,
	dirty: true,
	branch: "feature/login",
	message: "Say hello in green, and a subject long enough to be cut in the table",
	url: "http://hello.example.test",
	createdAt: "2026-12-03T10:00:00.000Z",
	finishedAt: "2026-12-03T10:00:12.340Z",
	error: null,
};

test("issue 18: a pushed deployment's row says push", () => {
	assert.equal(lsRow({ ...record, source: "push", dirty: false, commit: sha }, Date.parse(record.createdAt))[3], "push");
});

test("a row says commit+dirty, branch, how long it took, the message cut, the URL", () => {
	assert.deepEqual(lsRow(record, Date.parse("2026-12-03T10:05:00.000Z")), [
		"dmx7m6odf3f28",
		"hello",
		"live",
		"upload",
		"0123456+dirty",
		"feature/login",
		"12.3s",
		"5m ago",
		"Say hello in green, and a subject long enough to …",
		"http://hello.example.test",
	]);
});

test("records of older agents (an upload): -dirty in the commit, no branch, message or finish", () => {
	const old: DeploymentRecord = { id: "d0000000001", app: "hello", status: "building", commit: `${sha}-dirty`, url: null, createdAt: "2026-12-03T10:00:00.000Z", finishedAt: null, error: null };
	assert.deepEqual(lsRow(old, Date.parse("2026-12-03T10:00:03.000Z")), ["d0000000001", "hello", "building", "upload", "0123456+dirty", "-", "-", "3s ago", "-", ""]);
	assert.equal(commitLabel({ commit: sha }), "0123456");
	assert.equal(commitLabel({ commit: null }), "-");
});

test("durations read at a glance; a finish before the start is no negative time", () => {
	assert.deepEqual([850, 12_340, 245_000, 7_380_000].map(formatDuration), ["850ms", "12.3s", "4m 5s", "2h 3m"]);
	assert.equal(took({ createdAt: "2026-12-03T10:00:05.000Z", finishedAt: "2026-12-03T10:00:00.000Z" }), "0ms");
	assert.equal(took({ createdAt: "not a time", finishedAt: "2026-12-03T10:00:00.000Z" }), null);
});

test("a failed row gives the first line of its reason, printed without control sequences", () => {
	const failed: DeploymentRecord = { ...record, status: "failed", error: { code: "BUILD_FAILED", message: "build failed: \x1b]0;title\x07exit 1\nmore" } };
	assert.equal(lsRow(failed, Date.parse(record.createdAt)).at(-1), "build failed: exit 1");
});
