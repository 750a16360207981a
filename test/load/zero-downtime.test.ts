// The promise of issue 3, measured: a redeploy and a rollback under steady traffic
// through the real proxy (Caddy) drop nothing, and the answer switches version.
// examples/versioned runs 2 instances and answers its version.
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, test, type TestContext } from "vitest";
import { startTestServer, type TestServer } from "../e2e/server.js";
import { httpGet } from "../helpers/net.js";
import { startTraffic, type TrafficReport } from "./traffic.js";

const host = "versioned.127.0.0.1.sslip.io";
/** Answers counted after the switch: the old instances drain while these arrive. */
const AFTER_SWITCH = 1500;

describe("zero downtime under load (50 connections through Caddy)", () => {
	let server: TestServer;

	beforeAll(async () => {
		server = await startTestServer("versioned");
		const first = await server.cli(["--json"]);
		assert.equal(first.code, 0, first.stderr + first.stdout);
		assert.equal((await httpGet(server.httpPort, host)).body, "v1\n");
	});

	afterAll(() => server?.stop());

	/** Runs `command` while traffic flows; traffic goes on until AFTER_SWITCH more answers arrived. */
	async function underLoad(args: string[]): Promise<{ report: TrafficReport; run: Awaited<ReturnType<TestServer["cli"]>> }> {
		const traffic = startTraffic(server.httpPort, host, { connections: 50, maxSeconds: 90 });
		try {
			await traffic.moreAnswers(200);
			const run = await server.cli(args);
			await traffic.moreAnswers(AFTER_SWITCH);
			return { report: await traffic.stop(), run };
		} catch (error) {
			await traffic.stop();
			throw error;
		}
	}

	function assertNothingFailed(report: TrafficReport, t: TestContext): void {
		const summary = JSON.stringify({ ...report, bodies: Object.fromEntries(report.bodies) });
		t.annotate(summary);
		assert.ok(report.total > AFTER_SWITCH, summary);
		// Nothing may fail, resets included: a switch changes the resolver's answer for the
		// app (agents/proxy/caddy/upstream-dns/), not Caddy's config, so Caddy never shuts a
		// server down and closes no idle keep-alive connection under a request (issue 13.4).
		assert.equal(report.errors, 0, `failed requests: ${summary}`);
		assert.equal(report.timeouts, 0, `timeouts: ${summary}`);
		assert.equal(report.non2xx, 0, `non-2xx answers: ${summary}`);
	}

	test("a redeploy drops no request, and the answer switches to the new version", async (t) => {
		await writeFile(join(server.appDir, "VERSION"), "v2\n");
		const { report, run } = await underLoad(["--json"]);
		assert.equal(run.code, 0, run.stderr + run.stdout);
		assert.equal(run.last.status, "live");
		assertNothingFailed(report, t);
		assert.deepEqual([...report.bodies.keys()].sort(), ["v1", "v2"], "both versions answered, nothing else");
		assert.equal((await httpGet(server.httpPort, host)).body, "v2\n");
	});

	test("a rollback drops no request, and the answer switches back to the previous version", async (t) => {
		const { report, run } = await underLoad(["rollback", "--json"]);
		assert.equal(run.code, 0, run.stderr + run.stdout);
		assert.equal(run.last.status, "live");
		assertNothingFailed(report, t);
		assert.deepEqual([...report.bodies.keys()].sort(), ["v1", "v2"]);
		assert.equal((await httpGet(server.httpPort, host)).body, "v1\n");
	});
});
