// The last line of `npm test` is what CI reads: `N passed, N failed`, then `, N skipped`
// when any were, with the failures' names above it, and a non-zero exit on any failure.
// A real vitest run of sample files (test/fixtures/reporter) with test/reporter.ts.
import assert from "node:assert/strict";
import { join } from "node:path";
import { execa } from "execa";
import { test } from "vitest";
import { repoRoot } from "./helpers/cli.js";

const runSamples = (...files: string[]) =>
	execa(join(repoRoot, "node_modules", ".bin", "vitest"), ["run", "--config", "test/fixtures/reporter/vitest.config.ts", ...files], {
		cwd: repoRoot,
		reject: false,
		env: { NO_COLOR: "1", CI: "true" },
	});
const lastLine = (stdout: string) => stdout.trimEnd().split("\n").at(-1);

test("a run with a failure ends with the counts, skipped included, names the failure, and exits non-zero", async () => {
	const run = await runSamples("outcomes.sample.ts");
	assert.equal(lastLine(run.stdout), "1 passed, 1 failed, 1 skipped", run.stdout);
	assert.match(run.stdout, /Failed:\n {2}test\/fixtures\/reporter\/outcomes\.sample\.ts > a wrong sum fails\n/);
	assert.notEqual(run.exitCode, 0);
});

test("a run where everything passes says 0 failed, no skipped part, and exits 0", async () => {
	const run = await runSamples("passing.sample.ts");
	assert.equal(lastLine(run.stdout), "2 passed, 0 failed", run.stdout);
	assert.equal(run.exitCode, 0, run.stderr);
});
