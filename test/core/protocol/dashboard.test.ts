// Issue 17, item 4: what `api.dashboard` accepts as a build: plain relative paths of the
// renderer build, each once, index.html among them. Anything else is refused at the
// boundary, before the agent writes a file.
import assert from "node:assert/strict";
import { test } from "vitest";
import { dashboardMethods } from "../../../core/protocol/dashboard.js";

const id = "a".repeat(40);
const params = dashboardMethods["api.dashboard"].params;
const accepts = (files: { path: string; id: string }[]) => params.safeParse({ files }).success;

test("the renderer's own layout passes", () => {
	assert.ok(accepts([{ path: "index.html", id }, { path: "assets/index-BPYxv1-Y.css", id }, { path: "assets/index-txf4HiAL.js", id }]));
});

test("paths that could leave the build's folder or hide in it are refused", () => {
	for (const path of ["../index.html", "assets/../../api.json", "/etc/passwd", "assets//x.js", ".env", "assets/.hidden", "a\\b.js", "assets/x.js\0", "", `${"a/".repeat(9)}x.js`]) {
		assert.equal(accepts([{ path: "index.html", id }, { path, id }]), false, JSON.stringify(path));
	}
});

test("a build without index.html, with a path twice or a bad id is refused", () => {
	assert.equal(accepts([{ path: "assets/x.js", id }]), false);
	assert.equal(accepts([{ path: "index.html", id }, { path: "index.html", id }]), false);
	assert.equal(accepts([{ path: "index.html", id: "not-an-id" }]), false);
	assert.equal(accepts([]), false);
});
