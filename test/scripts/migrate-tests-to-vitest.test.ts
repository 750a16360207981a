// The codemod the lead re-runs after merging branches that still write node:test: each
// form it maps, one run converts, a second run changes nothing, and what it cannot map
// is named, for a person to finish, rather than guessed.
import assert from "node:assert/strict";
import { copyFile, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, test } from "vitest";
import { repoRoot } from "../helpers/cli.js";

const script = join(repoRoot, "scripts", "migrate-tests-to-vitest.mjs");
let dir: string;
beforeAll(async () => {
	dir = await mkdtemp(join(tmpdir(), "deploy-codemod-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

test("a node:test file comes out in vitest's forms, and a second run changes nothing", async () => {
	const file = join(dir, "sample.test.ts");
	await copyFile(join(repoRoot, "test", "fixtures", "codemod", "node-test.sample.ts"), file);
	const first = await execa("node", [script, file], { cwd: repoRoot });
	assert.match(first.stdout, /converted 1 of 1 files/);
	const text = await readFile(file, "utf8");
	assert.match(text, /^import \{ afterAll, beforeAll, describe, test, onTestFinished, type TestContext \} from "vitest";$/m);
	assert.doesNotMatch(text, /from "node:test"/);
	assert.match(text, /^beforeAll\(\(\) => \{$/m, "a file-level before is beforeAll");
	assert.match(text, /^afterAll\(\(\) => \{$/m, "a file-level after is afterAll");
	assert.match(text, /const before = \[1, 2\];/, "a local variable named before stays");
	assert.match(text, /t\.onTestFinished\(\(\) => before\.pop\(\)\);/, "t.after is the test's own clean-up");
	assert.match(text, /\t\tonTestFinished\(\(\) => assert\.ok\(ready\)\);/, "after() inside a test belongs to that test");
	assert.match(text, /t\.annotate\(text\);/, "t.diagnostic through a TestContext parameter");
	assert.match(text, /describe\("a suite", \{ timeout: 1000 \}, /, "a timeout option stays as it is");
	assert.match(text, /\{ skip: Boolean\(process\.getuid\?\.\(\) !== 0 \? "needs root" : false\) \}/, "skip's reason becomes vitest's boolean");

	const second = await execa("node", [script, file], { cwd: repoRoot });
	assert.match(second.stdout, /converted 0 of 1 files/);
	assert.equal(await readFile(file, "utf8"), text);
});

test("what has no vitest form is named with its file, and the run exits non-zero", async () => {
	const file = join(dir, "mocking.test.ts");
	await writeFile(file, 'import { mock, test } from "node:test";\ntest("x", (t) => { t.plan(1); mock.fn(); });\n');
	const run = await execa("node", [script, file], { cwd: repoRoot, reject: false });
	assert.equal(run.exitCode, 1);
	assert.match(run.stderr, /mocking\.test\.ts: node:test export `mock` has no mapping/);
	assert.match(run.stderr, /mocking\.test\.ts: t\.plan: no vitest form/);
});
