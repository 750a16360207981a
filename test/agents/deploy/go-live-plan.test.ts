// Issue 15, item 1: what a go-live does is computed as data before anything starts,
// by pure functions; agents/deploy/go-live.ts carries it out for every path (deploy,
// env change, rollback, scale, boot recovery). These are the plans, checked by exact equality.
import assert from "node:assert/strict";
import { describe, test } from "vitest";
import { planRecovery, planRelease, planScaleTo } from "../../../agents/deploy/go-live-plan.js";

const web = { name: "web", web: true, instances: 2 };
const worker = { name: "worker", web: false, instances: 1 };

describe("go-live plans", () => {
	test("a release starts every process at its planned count and health-checks the web one", () => {
		assert.deepEqual(planRelease([web, worker]), { kind: "release", start: { web: 2, worker: 1 }, check: "web" });
	});

	test("an env change keeps the counts a scale set; a process scaled to none starts none", () => {
		assert.deepEqual(planRelease([web, worker], { web: 3, worker: 0 }), { kind: "release", start: { web: 3 }, check: "web" });
	});

	test("a static site the proxy serves starts no web instance, so nothing is health-checked", () => {
		assert.deepEqual(planRelease([{ ...web, instances: 0 }, worker]), { kind: "release", start: { worker: 1 }, check: null });
	});

	test("a scale up starts the difference and health-checks the web ones; nothing leaves", () => {
		const serving = [
			{ process: "web", port: 4001 },
			{ process: "worker", port: 4002 },
		];
		assert.deepEqual(planScaleTo([web, worker], serving, { web: 3 }), { kind: "scale", start: { web: 2 }, check: "web", remove: [] });
	});

	test("a scale down removes the newest instances, by port, and starts nothing", () => {
		const serving = [
			{ process: "web", port: 4001 },
			{ process: "worker", port: 4002 },
			{ process: "web", port: 4003 },
			{ process: "worker", port: 4004 },
			{ process: "worker", port: 4005 },
		];
		assert.deepEqual(planScaleTo([web, worker], serving, { web: 1, worker: 1 }), { kind: "scale", start: {}, check: null, remove: [4003, 4004, 4005] });
	});

	test("a worker scaled up is started without a health check (only web instances get traffic)", () => {
		assert.deepEqual(planScaleTo([web, worker], [{ process: "web", port: 4001 }], { worker: 2 }), { kind: "scale", start: { worker: 2 }, check: null, remove: [] });
	});

	test("boot recovery replaces each gone instance on a fresh port, health-checks the web ones, and takes the gone ones off the route", () => {
		const gone = [
			{ process: "web", port: 4001 },
			{ process: "worker", port: 4002 },
			{ process: "web", port: 4003 },
		];
		assert.deepEqual(planRecovery([web, worker], gone), { kind: "scale", start: { web: 2, worker: 1 }, check: "web", remove: [4001, 4002, 4003] });
	});

	test("boot recovery keeps the count a scale set (the gone instances, not the release's planned count)", () => {
		const gone = [5001, 5002, 5003, 5004].map((port) => ({ process: "web", port }));
		assert.deepEqual(planRecovery([web, worker], gone), { kind: "scale", start: { web: 4 }, check: "web", remove: [5001, 5002, 5003, 5004] });
	});

	test("boot recovery of a worker alone health-checks nothing; a gone instance of a process the release lacks is removed, not replaced", () => {
		const gone = [
			{ process: "worker", port: 4002 },
			{ process: "clock", port: 4009 },
		];
		assert.deepEqual(planRecovery([web, worker], gone), { kind: "scale", start: { worker: 1 }, check: null, remove: [4002, 4009] });
	});
});
