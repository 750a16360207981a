// Issue 4's bytes target, end to end: a one-line change of a ~50-file project sends
// the changed file and a small fixed framing, not the whole manifest again.
import assert from "node:assert/strict";
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, test } from "vitest";
import { deflateRawSync } from "node:zlib";
import { httpGet } from "../helpers/net.js";
import { startTestServer, type TestServer } from "./server.js";

/**
 * What every redeploy writes whatever changed, measured at ~0.6 kB for this app: the
 * shell line that checks the daemon's version and names its socket (~290 B with this
 * test's long agent home), and the one `deploy` call with the spec's hash, the manifest
 * diff's base and hash, and the changed file inline (~350 B). None of it grows with
 * the number of files.
 */
const FIXED_FRAMING_BYTES = 800;

interface Upload {
	files: number;
	objectsSent: number;
	objectBytes: number;
	bytesSent: number;
}

describe("bytes uploaded for a one-line change", () => {
	let server: TestServer;
	const host = "hello.127.0.0.1.sslip.io";

	beforeAll(async () => {
		server = await startTestServer("hello");
		await mkdir(join(server.appDir, "lib"));
		for (let i = 0; i < 50; i++) {
			const lines = Array.from({ length: 40 }, (_, n) => `export const value${n} = "module ${i}, line ${n}: ${"x".repeat(n % 7)}";`);
			await writeFile(join(server.appDir, "lib", `module-${String(i).padStart(2, "0")}.js`), `${lines.join("\n")}\n`);
		}
	});

	afterAll(async () => {
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
		// Deflated against the version deployed before: a delta of a few bytes, not the file.
		assert.ok(second.objectBytes < compressed / 4, `${second.objectBytes} B for the changed file, ${compressed} B compressed alone`);
		// The real ratio, for docs/benchmarks.md.
		console.log(`one-line change: ${second.bytesSent} B sent for a ${compressed} B compressed file (${(second.bytesSent / compressed).toFixed(2)}x); the first deploy sent ${first.bytesSent} B`);
		assert.ok(second.bytesSent < 2 * compressed + FIXED_FRAMING_BYTES, `${second.bytesSent} B sent, limit ${2 * compressed + FIXED_FRAMING_BYTES}`);
		assert.match((await httpGet(server.httpPort, host)).body, /hello/i);
	});

	test("an agent that no longer has the spec a redeploy names answers SPEC_UNKNOWN, and the client sends everything", async () => {
		// What a pruned or hand-edited release looks like to the agent: the spec it kept is another one.
		const releases = join(server.sshd.agentHome, "apps", "hello", "releases");
		const live = JSON.parse(await readFile(join(server.sshd.agentHome, "apps", "hello", "state.json"), "utf8")) as { live: string };
		const specFile = join(releases, `${live.live}.release.json`);
		const kept = JSON.parse(await readFile(specFile, "utf8")) as { spec: { keepReleases: number } };
		kept.spec.keepReleases += 1;
		await writeFile(specFile, JSON.stringify(kept));
		const changed = join(server.appDir, "lib", "module-09.js");
		await writeFile(changed, (await readFile(changed, "utf8")).replace("line 2:", "line two:"));
		const full = await deploy();
		// The inline delta that was refused, then the file again through objects.put.
		assert.equal(full.objectsSent, 2);
		assert.ok(full.bytesSent > 52 * 40, `the full manifest lists every path and id: ${full.bytesSent} B`);
		assert.match((await httpGet(server.httpPort, host)).body, /hello/i);
	});

	test("without the files kept from the last deploy, the changed file travels whole and the deploy works", async () => {
		for (const name of await readdir(join(server.env.DEPLOY_HOME!, "manifests"))) {
			if (name.endsWith(".files")) await rm(join(server.env.DEPLOY_HOME!, "manifests", name), { recursive: true, force: true });
		}
		const changed = join(server.appDir, "lib", "module-10.js");
		await writeFile(changed, (await readFile(changed, "utf8")).replace("line 6:", "line six:"));
		const whole = await deploy();
		assert.equal(whole.objectsSent, 1);
		assert.equal(whole.objectBytes, deflateRawSync(await readFile(changed)).length);
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
