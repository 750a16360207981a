// Issue 14, item 4: an app that listens on a port of its own (`app.listen(3000)`)
// instead of $PORT. The built CLI against a real sshd, agent and Caddy: the deploy
// fails with the port it listens on, $PORT's value and the fix, long before the
// health check's 30 s are up, and the live release keeps answering.
import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, test } from "vitest";
import { freePort, httpGet } from "../helpers/net.js";
import { startTestServer, type TestServer } from "./server.js";

const host = "hello.127.0.0.1.sslip.io";

describe("an app that ignores $PORT", () => {
	let server: TestServer;

	beforeAll(async () => {
		server = await startTestServer("hello");
		// Started the way templates are: npm -> sh -> node, so the port is the grandchild's.
		await writeFile(join(server.appDir, "deploy.yaml"), "app: hello\nprocesses:\n  web:\n    command: npm start\n");
		const first = await server.cli(["--json"]);
		assert.equal(first.code, 0, first.stderr);
	});

	afterAll(async () => {
		await server?.stop();
	});

	test("the deploy fails naming the port it listens on and $PORT's value, with the fix; the live release still answers", async () => {
		assert.equal((await httpGet(server.httpPort, host)).body, "Hello from Deploy Platform\n");
		// The port a template hard-codes (3000 in most), here a free one: other tests run beside this one.
		const hardCoded = await freePort();
		const source = await readFile(join(server.appDir, "server.js"), "utf8");
		const ignoresPort = source.replace("const port = Number(process.env.PORT ?? 3000);", `console.log("PORT is", process.env.PORT);\nconst port = ${hardCoded};`);
		assert.notEqual(ignoresPort, source);
		await writeFile(join(server.appDir, "server.js"), ignoresPort);

		const run = await server.cli([]);
		assert.equal(run.code, 1, run.stdout + run.stderr);
		const given = /PORT is (\d+)/.exec(run.stderr)?.[1];
		assert.ok(given, run.stderr);
		assert.notEqual(Number(given), hardCoded);
		assert.match(run.stderr, new RegExp(`The app listens on ${hardCoded}, not on \\$PORT \\(${given}\\)\\.`));
		assert.match(run.stderr, new RegExp(`app\\.listen\\(process\\.env\\.PORT \\|\\| ${hardCoded}\\)`));
		assert.match(run.stderr, new RegExp(`hello listening on ${hardCoded}`));

		assert.equal((await httpGet(server.httpPort, host)).body, "Hello from Deploy Platform\n");
		const [newest, live] = JSON.parse((await server.cli(["ls", "--json"])).stdout) as { id: string; status: string; error?: { code: string } }[];
		assert.equal(newest?.status, "failed");
		assert.equal(newest?.error?.code, "WRONG_PORT");
		// Nothing of the failed release runs: only the live one's instance, on a port of its own.
		const ps = JSON.parse((await server.cli(["ps", "--json"])).stdout) as { deploymentId: string; port: number }[];
		assert.deepEqual(
			ps.map((row) => row.deploymentId),
			[live?.id],
		);
	});
});
