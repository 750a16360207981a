// Issue 18: a pushed commit's deploy.yaml, read with the client's one validation; what a
// commit cannot carry (name, team, workspace folder) stays the recorded spec's. Pure.
import assert from "node:assert/strict";
import { test } from "vitest";
import { commitSpec } from "../../../agents/git/commit-spec.js";
import { toAppSpec } from "../../../core/protocol/config/spec.js";
import { parseDeployYaml } from "../../../core/protocol/config/parse.js";
import { DeployError } from "../../../core/protocol/errors.js";
import { appSpec } from "../../../core/protocol/spec.js";

const kept = appSpec.parse({ name: "shop", team: "acme", root: "packages/web", env: { OLD: "1" } });
const commit = "c".repeat(40);

test("the commit's deploy.yaml gives the spec, as the CLI would make it, under the recorded name, team and root", () => {
	const text = "app: other\nteam: elsewhere\nenv:\n  GREETING: hi\nprocesses:\n  web:\n    instances: 2\npreviews:\n  ttl: 2d\n";
	const made = commitSpec(kept, text, commit);
	const parsed = parseDeployYaml(text);
	assert.ok(parsed.ok);
	assert.deepEqual(made.spec, { ...toAppSpec({ ...parsed.config, app: "shop", team: "acme" }), root: "packages/web" });
	assert.deepEqual(made.spec.env, { GREETING: "hi" });
	assert.equal(made.spec.processes.web?.instances, 2);
	assert.equal(made.previewTtlSeconds, 2 * 24 * 3600);
	assert.equal(made.warnings.length, 2);
	assert.match(made.warnings[0]!, /app: other; a push deploys shop/);
	assert.match(made.warnings[1]!, /team: elsewhere; a push keeps the app's team \(acme\)/);
});

test("a commit without deploy.yaml deploys with every key's default, not the recorded env", () => {
	const made = commitSpec(kept, null, commit);
	assert.deepEqual(made.spec.env, {});
	assert.equal(made.spec.name, "shop");
	assert.equal(made.previewTtlSeconds, undefined);
});

test("an invalid deploy.yaml fails with the schema's message, the key's path and its line", () => {
	const text = "env:\n  GREETING: hi\nprocesses:\n  web:\n    instances: 0\n";
	assert.throws(
		() => commitSpec(kept, text, commit),
		(error: unknown) => {
			assert.ok(error instanceof DeployError);
			assert.equal(error.code, "CONFIG_INVALID");
			assert.deepEqual(error.details, ["deploy.yaml:5:5 processes/web/instances: must be at least 1"]);
			assert.match(error.message, /deploy\.yaml in commit cccccccccccc is not valid \(1 problem\)/);
			return true;
		},
	);
	assert.throws(() => commitSpec(kept, "env: [unclosed\n", commit), (error: unknown) => error instanceof DeployError && /deploy\.yaml:\d+:\d+/.test(error.details?.[0] ?? ""));
});
