// Issue 18: the push's object folders come over the daemon's socket: only folders inside the app's repository are used.
import assert from "node:assert/strict";
import { test } from "vitest";
import { objectEnv } from "../../../agents/git/object-env.js";

const repository = "/home/agent/git/shop.git";

test("the quarantine inside the repository becomes git's environment", () => {
	assert.deepEqual(objectEnv(repository, { directory: `${repository}/objects/tmp_objdir-incoming-abc`, alternates: [`${repository}/objects`] }), {
		GIT_OBJECT_DIRECTORY: `${repository}/objects/tmp_objdir-incoming-abc`,
		GIT_ALTERNATE_OBJECT_DIRECTORIES: `${repository}/objects`,
	});
	assert.deepEqual(objectEnv(repository, null), {});
});

test("a folder outside the repository (or climbing out of it) is refused", () => {
	for (const directory of ["/etc", `${repository}/../other.git/objects`, "/home/agent/git/shop.gitx/objects"]) {
		assert.throws(() => objectEnv(repository, { directory, alternates: [] }), /is not inside the app's repository/);
	}
	assert.throws(() => objectEnv(repository, { directory: `${repository}/objects`, alternates: ["/var/lib/other/objects"] }), /not inside/);
});
