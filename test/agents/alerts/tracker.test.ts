// Alerts: thresholds -> conditions, conditions -> one "firing" and one "resolved" per
// episode (kept across an agent restart), and the webhook POST against a real HTTP
// receiver on 127.0.0.1 (retries, timeout, no URL in errors).
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, test } from "vitest";
import { activeConditions, type WindowStats } from "../../../agents/alerts/rules.js";
import { AlertTracker, HISTORY_LIMIT } from "../../../agents/alerts/tracker.js";
import { postWebhook } from "../../../agents/alerts/webhook.js";
import { alertsSpec, defaultAlerts } from "../../../core/protocol/metrics.js";

const calm: WindowStats = { requests: 100, s5xx: 0, p95Ms: 20, crashLooped: [], diskFreePercent: 50 };

describe("alert rules", () => {
	test("each threshold, with the defaults", () => {
		assert.deepEqual(activeConditions(defaultAlerts, calm), []);
		const kinds = (stats: Partial<WindowStats>) => activeConditions(defaultAlerts, { ...calm, ...stats }).map((c) => c.kind);
		assert.deepEqual(kinds({ s5xx: 5 }), ["error-rate"], "5 % of 100 is the default threshold");
		assert.deepEqual(kinds({ s5xx: 4 }), []);
		assert.deepEqual(kinds({ p95Ms: 1000 }), ["latency"]);
		assert.deepEqual(kinds({ crashLooped: ["web.1"] }), ["crash-loop"]);
		assert.deepEqual(kinds({ diskFreePercent: 9.5 }), ["disk"]);
		assert.deepEqual(kinds({ diskFreePercent: null }), []);
	});

	test("too few requests say nothing about rates; enabled: false and crashLoop: false switch off", () => {
		assert.deepEqual(activeConditions(defaultAlerts, { ...calm, requests: 9, s5xx: 9, p95Ms: 5000 }), []);
		assert.deepEqual(activeConditions(alertsSpec.parse({ enabled: false }), { ...calm, s5xx: 100, diskFreePercent: 1 }), []);
		assert.deepEqual(activeConditions(alertsSpec.parse({ crashLoop: false }), { ...calm, crashLooped: ["web.1"] }), []);
	});

	test("the message says what, how much and the threshold", () => {
		const [condition] = activeConditions(alertsSpec.parse({ errorRatePercent: 20, windowSeconds: 60 }), { ...calm, requests: 40, s5xx: 10 });
		assert.equal(condition?.message, "25% of requests answered 5xx over the last 60 s (10 of 40; threshold 20%).");
	});

	test("webhook URLs: http(s) only", () => {
		assert.ok(alertsSpec.safeParse({ webhook: "https://hooks.example.com/x/T0K3N" }).success);
		for (const bad of ["file:///etc/passwd", "ftp://example.com/", "javascript:alert(1)", "not a url"]) assert.equal(alertsSpec.safeParse({ webhook: bad }).success, false, bad);
	});
});

describe("alert tracker", () => {
	let dir: string;
	beforeEach(async () => {
		dir = await mkdtemp(join(tmpdir(), "deploy-alerts-"));
	});
	afterEach(async () => rm(dir, { recursive: true, force: true }));

	test("fires once when a condition starts, says nothing while it holds, resolves once; a restart does not repeat it", async () => {
		const sent: object[] = [];
		const deliver = async (_url: string, payload: object) => {
			sent.push(payload);
			return { status: "sent" as const, attempts: 1 };
		};
		let now = Date.UTC(2026, 0, 1);
		const file = join(dir, "alerts.json");
		const tracker = new AlertTracker(file, deliver, () => now);
		const failing = activeConditions(defaultAlerts, { ...calm, s5xx: 50 });
		const hook = "http://127.0.0.1:9/hook";
		assert.deepEqual((await tracker.update("shop", failing, hook)).map((t) => t.state), ["firing"]);
		now += 10_000;
		assert.deepEqual(await tracker.update("shop", failing, hook), []);
		await tracker.idle();
		const restarted = new AlertTracker(file, deliver, () => now);
		assert.deepEqual(await restarted.update("shop", failing, hook), [], "still firing after a restart: not sent again");
		assert.equal((await restarted.firing("shop")).length, 1);
		now += 10_000;
		assert.deepEqual((await restarted.update("shop", [], hook)).map((t) => t.state), ["resolved"]);
		assert.deepEqual(await restarted.update("shop", [], hook), []);
		await restarted.idle();
		assert.deepEqual(
			sent.map((p) => [(p as { state: string }).state, (p as { kind: string }).kind, (p as { app: string }).app]),
			[
				["firing", "error-rate", "shop"],
				["resolved", "error-rate", "shop"],
			],
		);
		const history = await restarted.history("shop", 10);
		assert.deepEqual(history.map((h) => [h.state, h.delivery.status]), [
			["resolved", "sent"],
			["firing", "sent"],
		]);
		assert.doesNotMatch(await readFile(file, "utf8"), /127\.0\.0\.1:9/, "the webhook URL is not stored with the alerts");
	});

	test("without a webhook alerts are recorded, not sent; the history is bounded", async () => {
		let calls = 0;
		const tracker = new AlertTracker(join(dir, "alerts.json"), async () => {
			calls++;
			return { status: "sent", attempts: 1 };
		});
		for (let i = 0; i < HISTORY_LIMIT; i++) {
			await tracker.update("shop", activeConditions(defaultAlerts, { ...calm, diskFreePercent: 1 }), undefined);
			await tracker.update("shop", [], undefined);
		}
		assert.equal(calls, 0);
		const history = await tracker.history(undefined, 10_000);
		assert.equal(history.length, HISTORY_LIMIT);
		assert.equal(history[0]?.delivery.status, "none");
	});
});

describe("webhook", () => {
	let server: Server;
	let url: string;
	let answers: number[];
	const received: { body: string; type: string | undefined }[] = [];
	beforeEach(async () => {
		received.length = 0;
		server = createServer((request: IncomingMessage, response) => {
			let body = "";
			request.on("data", (chunk) => (body += chunk));
			request.on("end", () => {
				received.push({ body, type: request.headers["content-type"] });
				const status = answers.shift();
				if (status === 0) return; // never answers: the timeout must end it
				response.writeHead(status ?? 200).end();
			});
		});
		await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
		url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/SECRET-T0K3N`;
	});
	afterEach(async () => {
		server.closeAllConnections();
		await new Promise((resolve) => server.close(resolve));
	});

	test("POSTs JSON; a 503 is retried, then the 200 counts", async () => {
		answers = [503, 200];
		const delivery = await postWebhook(url, { state: "firing" }, { attempts: 3, timeoutMs: 2000, backoffMs: 10 });
		assert.deepEqual(delivery, { status: "sent", attempts: 2 });
		assert.deepEqual(received.map((r) => [JSON.parse(r.body), r.type]), [
			[{ state: "firing" }, "application/json"],
			[{ state: "firing" }, "application/json"],
		]);
	});

	test("a 400 is final; a receiver that never answers times out; errors never hold the URL", async () => {
		answers = [400];
		assert.deepEqual(await postWebhook(url, {}, { attempts: 3, timeoutMs: 2000, backoffMs: 10 }), { status: "failed", attempts: 1, error: "HTTP 400" });
		answers = [0, 0];
		const slow = await postWebhook(url, {}, { attempts: 2, timeoutMs: 200, backoffMs: 10 });
		assert.deepEqual(slow, { status: "failed", attempts: 2, error: "timed out" });
		const refused = await postWebhook("http://127.0.0.1:9/hooks/SECRET-T0K3N", {}, { attempts: 1, timeoutMs: 1000, backoffMs: 10 });
		assert.equal(refused.status, "failed");
		assert.doesNotMatch(JSON.stringify(refused), /SECRET/);
	});
});
