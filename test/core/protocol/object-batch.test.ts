// Issue 14, item 1: objects.put carries its ids and sizes packed in two strings
// (core/protocol/object-batch.ts), checked at the boundary by one regex each instead
// of one zod object per file. The check must refuse what the per-object schema refused.
import assert from "node:assert/strict";
import { describe, test } from "vitest";
import { methods, packObjects } from "../../../core/protocol/index.js";

const id = (n: number) => n.toString(16).padStart(40, "0");
const parse = (params: unknown) => methods["objects.put"].params.safeParse(params);
const issue = (params: unknown) => {
	const result = parse(params);
	assert.ok(!result.success, "refused");
	return `${result.error.issues[0]!.path.join("/")}: ${result.error.issues[0]!.message}`;
};

describe("objects.put's packed ids and sizes", () => {
	test("what the client packs, the agent reads back as the same ids and sizes", () => {
		const objects = [
			{ id: id(1), size: 0 },
			{ id: id(2), size: 160 },
			{ id: id(3), size: 8 * 1024 * 1024 },
		];
		const result = parse(packObjects(objects, "AAAA"));
		assert.ok(result.success);
		assert.deepEqual(result.data, { objects, data: "AAAA" });
	});

	test("an id that is not 40 hex, a missing or extra size, an empty batch, a negative or fractional size: refused", () => {
		assert.match(issue({ ids: `${id(1)}`.replace("0", "g"), sizes: "1", data: "" }), /^ids: must be 40-hex git blob ids/);
		assert.match(issue({ ids: id(1).slice(1), sizes: "1", data: "" }), /^ids: must be 40-hex git blob ids/);
		assert.match(issue({ ids: id(1) + id(2), sizes: "1", data: "" }), /^sizes: must give one size per id/);
		assert.match(issue({ ids: id(1), sizes: "1,2", data: "" }), /^sizes: must give one size per id/);
		assert.match(issue({ ids: "", sizes: "", data: "" }), /^ids: must be 40-hex/);
		assert.match(issue({ ids: id(1), sizes: "-1", data: "" }), /^sizes: must be sizes in bytes/);
		assert.match(issue({ ids: id(1), sizes: "1.5", data: "" }), /^sizes: must be sizes in bytes/);
		assert.match(issue({ objects: [{ id: id(1), size: 1 }], data: "" }), /^ids: /, "the old shape is not read: client and agent ship together");
	});

	test("more objects than a batch may hold: refused", () => {
		const objects = Array.from({ length: 10_001 }, (_, n) => ({ id: id(n), size: 1 }));
		assert.match(issue(packObjects(objects, "")), /^ids: /);
	});
});
