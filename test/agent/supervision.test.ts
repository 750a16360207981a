import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { releasesToDelete } from "../../agents/deploy/releases.js";
import { backoffMs } from "../../agents/processes/instance.js";

describe("supervision and cleanup plans", () => {
	test("restart delays double from 1 s up to 30 s", () => {
		assert.deepEqual([1, 2, 3, 4, 5, 6, 7, 10].map(backoffMs), [1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
	});

	test("only recorded releases beyond the newest five go, never one in use", () => {
		const ids = ["d00000001aaaa", "d00000002aaaa", "d00000003aaaa", "d00000004aaaa", "d00000005aaaa", "d00000006aaaa", "d00000007aaaa"];
		const recorded = new Set(ids);
		assert.deepEqual(releasesToDelete([...ids, "notes", "dzzzzzzzzzzzz"], recorded, new Set()), ["d00000002aaaa", "d00000001aaaa"]);
		assert.deepEqual(releasesToDelete(ids, recorded, new Set(["d00000001aaaa"])), ["d00000002aaaa"]);
		assert.deepEqual(releasesToDelete(ids.slice(0, 5), recorded, new Set()), []);
	});
});
