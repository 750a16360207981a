// Issue 15, item 4: each small thing is written once. These shapes were copied across
// the CLI, core, the agent and the renderer and had drifted; a new copy fails here
// with where it is, so the next one goes to the shared piece instead.
import assert from "node:assert/strict";
import { readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { test } from "vitest";

const root = join(import.meta.dirname, "../..");
const FOLDERS = ["agents", "cli", "core", "electron", "providers", "renderer/src"];

async function sources(): Promise<{ path: string; text: string }[]> {
	const files: { path: string; text: string }[] = [];
	for (const folder of FOLDERS) {
		for (const entry of await readdir(join(root, folder), { recursive: true, withFileTypes: true })) {
			if (!entry.isFile() || !/\.tsx?$/.test(entry.name)) continue;
			const path = join(entry.parentPath, entry.name);
			files.push({ path: relative(root, path), text: await readFile(path, "utf8") });
		}
	}
	return files;
}

/** The files where `shape` occurs, outside `allowed`. */
function copies(files: { path: string; text: string }[], shape: RegExp, allowed: readonly string[]): string[] {
	return files.filter((file) => shape.test(file.text) && !allowed.includes(file.path)).map((file) => file.path);
}

test("one shell quoter, one MIME table, one generated-host rule, one byte and one duration formatter", async () => {
	const files = await sources();
	// Single quotes closed and escaped inside a quoted word: '"'"' or '\''.
	assert.deepEqual(copies(files, /'"'"'|'\\\\''/, ["core/protocol/shell-quote.ts"]), [], "a shell quoter besides core/protocol/shell-quote.ts");
	assert.deepEqual(copies(files, /["']\.(html|css|js)["']\s*:\s*["'](text|application)\//, []), [], "a MIME table besides mrmime (core/protocol/content-type.ts)");
	assert.deepEqual(copies(files, /\}\.sslip\.io/, ["core/protocol/hosts.ts"]), [], "an sslip.io host made besides core/protocol/hosts.ts");
	assert.deepEqual(copies(files, /\$\{[a-z]+\.length <= 253|\.length <= 253 \?/, []), [], "a preview host rule besides core/protocol/hosts.ts");
	// A size made by hand: "kB"/"MB" units after a division by 1024 (agents/objects/ is left to the upload work of issue 14).
	const sizes = files.filter((file) => !file.path.startsWith("agents/objects/"));
	assert.deepEqual(copies(sizes, /\/ 1024(\s*\/ 1024|\s*\*\*\s*2)?\)\.toFixed\(\d\)\}? ?[kKMG]i?B/, []), [], "a byte formatter besides pretty-bytes (core/protocol/size.ts, renderer/src/text/size.ts)");
	assert.deepEqual(copies(files, /\$\{\(ms \/ 1000\)\.toFixed\(1\)\} ?s`|padStart\(2, "0"\)\}[sm]`/, []), [], "a duration formatter besides pretty-ms (core/protocol/duration.ts, renderer/src/text/duration.ts)");
	assert.deepEqual(copies(files, /\{ s: 1(_000)?, m: 60/, []), [], "a duration unit table besides ms (core/protocol/duration.ts)");
	// The access log line keeps morgan's `0.4 ms`, so it reads like the app's own log lines beside it.
	assert.deepEqual(copies(files, /< 10 \? `?\$?\{?[\w.]+\.toFixed\(1\)/, ["agents/proxy/access-log-query.ts"]), [], "a latency formatter besides pretty-ms (formatLatency)");
});
