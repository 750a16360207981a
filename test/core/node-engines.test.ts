// Issue 14, item 17: the Node.js the project says it needs (package.json engines, the
// README) is the one its dependencies need. Every locked package whose own `engines`
// refuses the lowest Node.js we claim is listed here by name: packaging the desktop
// app (electron-builder's rebuild of native modules) needs Node.js 22.12+, and
// `npm run build:desktop` says so before it starts. A new dependency that needs a newer
// Node.js fails this test until the requirement is raised or documented.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { test } from "vitest";
import semver from "semver";

const root = new URL("../../", import.meta.url);
const pkg = JSON.parse(readFileSync(new URL("package.json", root), "utf8"));
const lock = JSON.parse(readFileSync(new URL("package-lock.json", root), "utf8"));
const lowest = semver.minVersion(pkg.engines.node)!.version;

test("every dependency runs on the lowest Node.js package.json claims, but electron-builder's rebuild (packaging only)", () => {
	const refusing = Object.entries(lock.packages as Record<string, { engines?: { node?: string } }>)
		.filter(([path, info]) => path !== "" && info.engines?.node && !semver.satisfies(lowest, info.engines.node))
		.map(([path]) => path)
		.sort();
	assert.deepEqual(refusing, ["node_modules/@electron/rebuild", "node_modules/@electron/rebuild/node_modules/node-abi"], `lowest claimed: ${lowest}`);
	assert.match(pkg.scripts["build:desktop"], /^node scripts\/require-node\.mjs '>=22\.12\.0' /, "packaging checks its Node.js first");
});

test("packaging on an older Node.js stops at once, saying which Node.js it needs", () => {
	const run = spawnSync(process.execPath, ["scripts/require-node.mjs", ">=99.0.0", "Packaging the desktop app (electron-builder)"], { cwd: root, encoding: "utf8" });
	assert.equal(run.status, 1);
	assert.match(run.stderr, /^error Packaging the desktop app \(electron-builder\) needs Node\.js >=99\.0\.0; this is \d+\.\d+\.\d+\.\nhint {2}/);
	const fine = spawnSync(process.execPath, ["scripts/require-node.mjs", ">=18", "x"], { cwd: root, encoding: "utf8" });
	assert.equal(fine.status, 0, fine.stderr);
});
