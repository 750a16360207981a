// `deploy metrics` and alerts as a user meets them: the built CLI, a real sshd on
// 127.0.0.1, the real agent, a real Caddy writing its JSON access log, real requests
// through it, and a real webhook receiver on 127.0.0.1.
import assert from "node:assert/strict";
import { cp, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, test } from "vitest";
import type { AlertsResult, AppMetrics } from "../../core/api/metrics.js";
import { type Sshd, startSshd } from "../fixtures/sshd.js";
import { repoRoot, runCli } from "../helpers/cli.js";
import { freePort, httpGet } from "../helpers/net.js";

/** An app with a route that fails: what a broken endpoint looks like from the proxy. */
const server = `import { createServer } from "node:http";
createServer((request, response) => {
	if (request.url === "/boom") {
		response.writeHead(500, { "content-type": "text/plain" });
		return response.end("boom\\n");
	}
	response.writeHead(200, { "content-type": "text/plain" });
	response.end("Hello from the metrics test\\n");
}).listen(Number(process.env.PORT));
process.on("SIGTERM", () => process.exit(0));
`;

describe("deploy metrics and alerts, live", () => {
	let sshd: Sshd;
	let home: string;
	let app: string;
	let httpPort: number;
	let receiver: Server;
	const posts: Record<string, unknown>[] = [];
	const env = () => ({ DEPLOY_HOME: home });
	const host = "hello.127.0.0.1.sslip.io";
	const cli = (args: string[]) => runCli(args, { cwd: app, env: env() });

	beforeAll(async () => {
		home = await mkdtemp(join(tmpdir(), "deploy-e2e-metrics-home-"));
		app = await mkdtemp(join(tmpdir(), "deploy-e2e-metrics-app-"));
		await cp(join(repoRoot, "examples/hello"), app, { recursive: true });
		await writeFile(join(app, "server.js"), server);
		receiver = createServer((request, response) => {
			let body = "";
			request.on("data", (chunk) => (body += chunk));
			request.on("end", () => {
				posts.push(JSON.parse(body) as Record<string, unknown>);
				response.writeHead(204).end();
			});
		});
		await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
		const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/T0K3N`;
		await writeFile(join(app, "deploy.yaml"), `app: hello\nalerts:\n  webhook: ${hook}\n  errorRatePercent: 50\n  windowSeconds: 60\n`);
		// The agent collects every 500 ms here instead of 10 s, so alerts come within the test's patience.
		sshd = await startSshd({ env: { DEPLOY_METRICS_INTERVAL_MS: "500" } });
		httpPort = await freePort();
		const add = await cli([
			"servers",
			"add",
			"prod",
			`${sshd.user}@127.0.0.1`,
			"--port",
			String(sshd.port),
			"--identity",
			sshd.identityFile,
			"--proxy",
			"caddy",
			"--http-port",
			String(httpPort),
			"--https-port",
			String(await freePort()),
			"--accept-new-host-key",
		]);
		assert.equal(add.code, 0, add.stderr);
		const deployed = await cli(["--json"]);
		assert.equal(deployed.code, 0, deployed.stderr + deployed.stdout);
	});

	afterAll(async () => {
		await sshd?.stop();
		receiver?.closeAllConnections();
		await new Promise((resolve) => receiver?.close(resolve));
		await rm(home, { recursive: true, force: true });
		await rm(app, { recursive: true, force: true });
	});

	test("requests through Caddy are counted: total, 5xx, latency percentiles, bytes; builds from the deployment", async () => {
		for (let i = 0; i < 20; i++) assert.equal((await httpGet(httpPort, host)).status, 200);
		for (let i = 0; i < 30; i++) assert.equal((await httpGet(httpPort, host, "/boom")).status, 500);
		const run = await cli(["metrics", "--json"]);
		assert.equal(run.code, 0, run.stderr);
		const [report, ...others] = JSON.parse(run.stdout) as AppMetrics[];
		assert.equal(others.length, 0);
		assert.equal(report?.app, "hello");
		assert.equal(report.resolutionSeconds, 10);
		assert.equal(report.totals.requests, 50);
		assert.equal(report.totals.s2xx, 20);
		assert.equal(report.totals.s5xx, 30);
		assert.equal(report.totals.errorRatePercent, 60);
		assert.equal(report.totals.bytes, 20 * "Hello from the metrics test\n".length + 30 * "boom\n".length);
		const latency = report.totals.latencyMs!;
		assert.ok(latency.p50 > 0 && latency.p95 >= latency.p50 && latency.p99 >= latency.p95, JSON.stringify(latency));
		assert.equal(report.points.reduce((sum, p) => sum + p.requests, 0), 50);
		assert.equal(report.builds.succeeded, 1);
		assert.equal(report.builds.successRatePercent, 100);
		assert.ok(report.builds.durationSeconds!.max > 0);
	});

	test("CPU and memory of the instance are sampled", async () => {
		// A few collector ticks (500 ms each) after the deploy.
		await new Promise((resolve) => setTimeout(resolve, 1500));
		const run = await cli(["metrics", "--json", "--since", "15m"]);
		const [report] = JSON.parse(run.stdout) as AppMetrics[];
		assert.deepEqual(report?.instances.map((i) => i.id), ["web.1"]);
		assert.ok(report.points.some((p) => p.memoryBytes !== null && p.memoryBytes > 1_000_000), "the Node process's RSS is megabytes");
	});

	test("the 5xx rate over the threshold sends one firing POST, and back under it one resolved POST", async () => {
		await waitFor(() => posts.length >= 1, "a firing POST");
		assert.equal(posts[0]?.state, "firing");
		assert.equal(posts[0]?.kind, "error-rate");
		assert.equal(posts[0]?.app, "hello");
		assert.equal(posts[0]?.type, "deploy.alert");
		// Still over the threshold for a few more ticks: nothing more is sent.
		await new Promise((resolve) => setTimeout(resolve, 1500));
		assert.equal(posts.length, 1, JSON.stringify(posts));
		for (let i = 0; i < 100; i++) await httpGet(httpPort, host);
		await waitFor(() => posts.length >= 2, "a resolved POST");
		assert.equal(posts[1]?.state, "resolved");
		assert.equal(posts[1]?.kind, "error-rate");
		await new Promise((resolve) => setTimeout(resolve, 1500));
		assert.equal(posts.length, 2, JSON.stringify(posts));

		const alerts = await cli(["alerts", "--json"]);
		assert.equal(alerts.code, 0, alerts.stderr);
		const result = JSON.parse(alerts.stdout) as AlertsResult;
		assert.deepEqual(result.firing, []);
		assert.deepEqual(
			result.history.map((h) => [h.kind, h.state, h.delivery.status]),
			[
				["error-rate", "resolved", "sent"],
				["error-rate", "firing", "sent"],
			],
		);
		assert.doesNotMatch(alerts.stdout, /T0K3N/, "the webhook URL (its token) is never shown");
	});

	test("for people: a totals table and sparklines; `metrics --alerts` lists the transitions", async () => {
		const run = await cli(["metrics"]);
		if (process.env.SHOW_METRICS) console.log(run.stdout);
		assert.equal(run.code, 0, run.stderr);
		assert.match(run.stdout, /^hello · last 1h · 10 s buckets$/m);
		assert.match(run.stdout, /^REQUESTS\s+2XX\s+3XX\s+4XX\s+5XX\s+5XX RATE\s+P50\s+P95\s+P99\s+SENT$/m);
		assert.match(run.stdout, /^15\d\s+12\d\s+0\s+0\s+30\s+/m);
		assert.match(run.stdout, /^requests\s+[ ▁▂▃▄▅▆▇█]*[▂▃▄▅▆▇█][ ▁▂▃▄▅▆▇█]*\s+15\d total$/m);
		const alerts = await cli(["metrics", "--alerts"]);
		if (process.env.SHOW_METRICS) console.log(alerts.stdout);
		assert.equal(alerts.code, 0, alerts.stderr);
		assert.match(alerts.stdout, /^Nothing is firing on prod\.$/m);
		assert.match(alerts.stdout, /hello\s+error-rate\s+resolved\s+sent/);
	});

	test("24h and 30d answer from the 1 min and 1 h tiers with the same totals", async () => {
		const hour = (JSON.parse((await cli(["metrics", "--json"])).stdout) as AppMetrics[])[0]!;
		for (const [since, resolution] of [
			["24h", 60],
			["30d", 3600],
		] as const) {
			const [report] = JSON.parse((await cli(["metrics", "--json", "--since", since])).stdout) as AppMetrics[];
			assert.equal(report?.resolutionSeconds, resolution);
			assert.equal(report.totals.requests, hour.totals.requests, since);
			assert.equal(report.totals.s5xx, 30, since);
			assert.deepEqual(report.totals.latencyMs, hour.totals.latencyMs, `${since}: one merged histogram, whatever the bucket size`);
		}
	});

	test("a range the agent does not keep is a usage error", async () => {
		const run = await cli(["metrics", "--since", "90d", "--json"]);
		assert.equal(run.code, 2, run.stdout);
		assert.equal((run.last.error as { code: string }).code, "BAD_ARGUMENT");
	});
});

async function waitFor(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}
