import assert from "node:assert/strict";
import { afterEach, test } from "node:test";
import type { InstanceInfo } from "../../renderer/src/api/bridge.js";
import { addSamples, MAX_SAMPLES, useMetrics } from "../../renderer/src/stores/metrics.js";
import { fakeBridge, until } from "./fake-bridge.js";

const instance = (port: number, cpuPercent: number | null, memoryBytes: number | null): InstanceInfo =>
	({ process: "web", port, status: "running", pid: 1, uptimeSeconds: 1, restarts: 0, cpuPercent, memoryBytes }) as InstanceInfo;

afterEach(() => useMetrics.getState().stop());

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
	const { calls } = fakeBridge({ "instances.list": () => [instance(3001, ++cpu, 1024)] });
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
