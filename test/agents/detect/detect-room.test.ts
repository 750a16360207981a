// Issue 15, item 5: detection lives in agents/detect/ and does not reach back into
// agents/deploy/ (they imported each other: deploy/detect.ts <-> detect/*.ts).
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { test } from "vitest";

const root = join(import.meta.dirname, "../../..");

test("agents/detect imports nothing of agents/deploy, and deploy/ keeps no detection of its own", async () => {
	const folder = join(root, "agents/detect");
	const files = (await readdir(folder)).filter((name) => name.endsWith(".ts"));
	const reaching: string[] = [];
	for (const name of files) {
		const text = await readFile(join(folder, name), "utf8");
		if (/from "\.\.\/deploy\//.test(text)) reaching.push(name);
	}
	assert.deepEqual(reaching, []);
	assert.ok(files.includes("plan.ts") && files.includes("release-facts.ts"), `agents/detect holds: ${files.join(", ")}`);
	assert.equal(existsSync(join(root, "agents/deploy/detect.ts")), false);
	assert.equal(existsSync(join(root, "agents/deploy/release-facts.ts")), false);
});
