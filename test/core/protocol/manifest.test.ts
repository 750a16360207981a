import assert from "node:assert/strict";
import { test } from "vitest";
import { applyManifestDiff, diffManifest, manifestHash } from "../../../core/protocol/manifest.js";
import type { ManifestEntry } from "../../../core/protocol/index.js";

const id = (n: number) => String(n).padStart(40, "0");
const base: ManifestEntry[] = [
	{ path: "a.js", mode: "100644", id: id(1) },
	{ path: "b.js", mode: "100644", id: id(2) },
	{ path: "run.sh", mode: "100644", id: id(3) },
];
const next: ManifestEntry[] = [
	{ path: "a.js", mode: "100644", id: id(9) },
	{ path: "run.sh", mode: "100755", id: id(3) },
	{ path: "c.js", mode: "100644", id: id(4) },
];

test("a diff names changed, added and re-moded entries and removed paths, and promises the new hash", () => {
	assert.deepEqual(diffManifest("dabcdef1", base, next), {
		base: "dabcdef1",
		hash: manifestHash(next),
		changed: [next[0], next[1], next[2]],
		removed: ["b.js"],
	});
	assert.deepEqual(diffManifest("dabcdef1", base, base).changed, []);
});

test("applying a diff gives the same manifest, and null on a base it was not made from", () => {
	const diff = diffManifest("dabcdef1", base, next);
	assert.equal(manifestHash(applyManifestDiff(base, diff)!), manifestHash(next));
	assert.equal(applyManifestDiff([...base, { path: "extra", mode: "100644", id: id(5) }], diff), null);
});
