import assert from "node:assert/strict";
import { afterEach, test } from "vitest";
import type { InstanceInfo } from "../../../../renderer/src/api/bridge.js";
import { type AlertRecord, type AlertsResult, type AppMetrics, addSamples, MAX_SAMPLES, newlyFiring, setNotifier, useMetrics } from "../../../../renderer/src/stores/metrics.js";
import { fakeBridge, until } from "../../../helpers/fake-bridge.js";

const instance = (port: number, cpuPercent: number | null, memoryBytes: number | null): InstanceInfo =>
	({ process: "web", port, status: "running", pid: 1, uptimeSeconds: 1, restarts: 0, cpuPercent, memoryBytes }) as InstanceInfo;

afterEach(() => useMetrics.getState().stop());

const report = (app: string, requests: number): AppMetrics =>
	({ app, from: "", to: "", resolutionSeconds: 10, totals: { requests }, points: [], instances: [], builds: { total: 0 } }) as unknown as AppMetrics;
const alert = (kind: AlertRecord["kind"], at: string): AlertRecord => ({
	at,
	app: "shop",
	kind,
	state: "firing",
	message: `${kind} is bad`,
	value: 1,
	threshold: 1,
	delivery: { status: "none", attempts: 0 },
});
const noAlerts: AlertsResult = { server: "prod", firing: [], history: [] };
const quietReports = { "metrics.get": () => [report("shop", 0)], "metrics.alerts": () => noAlerts };

test("addSamples: one series per instance, new ones start, gone ones drop, capped at MAX_SAMPLES", () => {
	let series = addSamples([], [instance(3001, 1, 10)], 1000);
	series = addSamples(series, [instance(3001, 2, 20), instance(3002, null, 30)], 2000);
	assert.deepEqual(
		series.map((entry) => [entry.id, entry.samples.map((sample) => [sample.at, sample.cpuPercent, sample.memoryBytes])]),
		[
			["web:3001", [[1000, 1, 10], [2000, 2, 20]]],
			["web:3002", [[2000, null, 30]]],
		],
	);
	series = addSamples(series, [instance(3002, 5, 30)], 3000);
	assert.deepEqual(series.map((entry) => entry.id), ["web:3002"]);
	for (let at = 0; at < MAX_SAMPLES + 10; at++) series = addSamples(series, [instance(3002, at, 1)], at);
	assert.equal(series[0]?.samples.length, MAX_SAMPLES);
});

test("start samples instances.list over and over until stop", async () => {
	let cpu = 0;
	const { calls } = fakeBridge({ "instances.list": () => [instance(3001, ++cpu, 1024)], ...quietReports });
	const project = { name: "shop", dir: "/srv/shop", server: "prod" };
	useMetrics.getState().start(project, 1);
	await until(() => (useMetrics.getState().series[0]?.samples.length ?? 0) >= 3);
	assert.deepEqual(calls[0], { method: "instances.list", input: { dir: "/srv/shop", server: "prod" } });
	useMetrics.getState().stop();
	const count = calls.length;
	await new Promise((resolve) => setTimeout(resolve, 20));
	assert.ok(calls.length <= count + 1, "no sampling after stop (one may have been in flight)");
	assert.equal(useMetrics.getState().sampling, false);
});

test("an error is shown, and sampling goes on", async () => {
	let fail = true;
	fakeBridge({
		...quietReports,
		"instances.list": () => {
			if (fail) {
				fail = false;
				throw Object.assign(new Error("down"), { name: "Error" });
			}
			return [instance(3001, 1, 1)];
		},
	});
	useMetrics.getState().start({ name: "shop", dir: "/srv/shop", server: null }, 1);
	await until(() => useMetrics.getState().series.length === 1);
	assert.equal(useMetrics.getState().error, null);
});

test("the kept metrics and alerts are read for the app and range; a new range reads again", async () => {
	const { calls } = fakeBridge({ "instances.list": () => [], "metrics.get": (input) => [report("shop", (input as { since: string }).since === "24h" ? 24 : 1)], "metrics.alerts": () => noAlerts });
	const project = { name: "shop", dir: "/srv/shop", server: "prod" };
	useMetrics.getState().start(project, 1, 60_000);
	await until(() => useMetrics.getState().report !== null);
	assert.deepEqual(
		calls.filter((c) => c.method !== "instances.list"),
		[
			{ method: "metrics.get", input: { dir: "/srv/shop", server: "prod", app: "shop", since: "1h" } },
			{ method: "metrics.alerts", input: { dir: "/srv/shop", server: "prod", app: "shop", limit: 20 } },
		],
	);
	assert.equal(useMetrics.getState().report?.totals.requests, 1);
	await useMetrics.getState().setRange(project, "24h");
	assert.equal(useMetrics.getState().range, "24h");
	assert.equal(useMetrics.getState().report?.totals.requests, 24);
});

test("an alert that starts firing while the view is open is a desktop notification; one already firing is not", async () => {
	const shown: string[] = [];
	setNotifier((title, body) => shown.push(`${title} | ${body}`));
	let firing = [alert("disk", "2026-01-01T00:00:00.000Z")];
	fakeBridge({ "instances.list": () => [], "metrics.get": () => [report("shop", 0)], "metrics.alerts": () => ({ ...noAlerts, firing }) });
	const project = { name: "shop", dir: "/srv/shop", server: "prod" };
	useMetrics.getState().start(project, 1, 0);
	await until(() => useMetrics.getState().alerts !== null);
	firing = [...firing, alert("error-rate", "2026-01-01T00:01:00.000Z")];
	await until(() => shown.length > 0);
	useMetrics.getState().stop();
	assert.deepEqual(shown, ["shop: error-rate alert | error-rate is bad"]);
	assert.deepEqual(newlyFiring({ ...noAlerts, firing }, { ...noAlerts, firing }), []);
});

test("metrics that cannot be read are shown as an error, the live samples go on", async () => {
	fakeBridge({
		"instances.list": () => [instance(3001, 1, 1)],
		"metrics.get": () => {
			throw Object.assign(new Error("old agent"), { name: "Error" });
		},
		"metrics.alerts": () => noAlerts,
	});
	useMetrics.getState().start({ name: "shop", dir: "/srv/shop", server: null }, 1, 60_000);
	await until(() => useMetrics.getState().reportError !== null && useMetrics.getState().series.length === 1);
	assert.equal(useMetrics.getState().reportError?.message, "old agent");
});
