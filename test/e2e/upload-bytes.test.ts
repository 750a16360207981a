// Issue 4's bytes target, end to end: a one-line change of a ~50-file project sends
// the changed file and a small fixed framing, not the whole manifest again.
import assert from "node:assert/strict";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { deflateRawSync } from "node:zlib";
import { httpGet } from "../helpers/net.js";
import { startTestServer, type TestServer } from "./server.js";

/**
 * What every deploy writes whatever changed, measured at 1.0-1.1 kB for this app: the
 * SSH exec line that checks and starts the agent (~560 B of shell), the `deploy` call
 * with the app spec and the manifest diff's hash and base (~400 B), and the JSON-RPC
 * envelopes of `objects.missing` and `objects.put` (~150 B). None of it grows with the
 * number of files.
 */
const FIXED_FRAMING_BYTES = 1_300;

interface Upload {
	files: number;
	objectsSent: number;
	objectBytes: number;
	bytesSent: number;
}

describe("bytes uploaded for a one-line change", () => {
	let server: TestServer;
	const host = "hello.127.0.0.1.sslip.io";

	before(async () => {
		server = await startTestServer("hello");
		await mkdir(join(server.appDir, "lib"));
		for (let i = 0; i < 50; i++) {
			const lines = Array.from({ length: 40 }, (_, n) => `export const value${n} = "module ${i}, line ${n}: ${"x".repeat(n % 7)}";`);
			await writeFile(join(server.appDir, "lib", `module-${String(i).padStart(2, "0")}.js`), `${lines.join("\n")}\n`);
		}
	});

	after(async () => {
		await server?.stop();
	});

	const deploy = async (): Promise<Upload> => {
		const run = await server.cli(["--json"]);
		assert.equal(run.code, 0, run.stderr);
		const result = JSON.parse(run.stdout.trim().split("\n").at(-1)!) as { status: string; upload: Upload };
		assert.equal(result.status, "live");
		return result.upload;
	};

	test("sends the changed file and a fixed framing, not every path and id", async () => {
		const first = await deploy();
		assert.ok(first.files >= 52, `${first.files} files`);

		const changed = join(server.appDir, "lib", "module-07.js");
		await writeFile(changed, (await readFile(changed, "utf8")).replace("line 3:", "line three:"));
		const compressed = deflateRawSync(await readFile(changed)).length;
		const second = await deploy();
		assert.equal(second.objectsSent, 1);
		assert.equal(second.objectBytes, compressed);
		// The real ratio, for docs/benchmarks.md.
		console.log(`one-line change: ${second.bytesSent} B sent for a ${compressed} B compressed file (${(second.bytesSent / compressed).toFixed(2)}x); the first deploy sent ${first.bytesSent} B`);
		assert.ok(second.bytesSent < 2 * compressed + FIXED_FRAMING_BYTES, `${second.bytesSent} B sent, limit ${2 * compressed + FIXED_FRAMING_BYTES}`);
		assert.match((await httpGet(server.httpPort, host)).body, /hello/i);
	});

	test("without the client's record of the last manifest, the whole manifest travels and the deploy still works", async () => {
		await rm(join(server.env.DEPLOY_HOME!, "manifests"), { recursive: true, force: true });
		const changed = join(server.appDir, "lib", "module-08.js");
		await writeFile(changed, (await readFile(changed, "utf8")).replace("line 4:", "line four:"));
		const full = await deploy();
		assert.equal(full.objectsSent, 1);
		assert.ok(full.bytesSent > 52 * 40, `the full manifest lists every path and id: ${full.bytesSent} B`);
		// And the next one is a diff again.
		await writeFile(changed, (await readFile(changed, "utf8")).replace("line 5:", "line five:"));
		const diff = await deploy();
		assert.ok(diff.bytesSent < full.bytesSent / 2, `${diff.bytesSent} B after ${full.bytesSent} B`);
	});
});
