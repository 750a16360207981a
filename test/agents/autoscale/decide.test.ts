// The autoscaler's policy, pure: an injected clock and synthetic samples in, a decision
// and its reason out. The live loop that feeds it is tested in autoscale-live.test.ts.
import assert from "node:assert/strict";
import { describe, test } from "vitest";
import { capacityOf, type DecideInput, decide, type ProcessSample } from "../../../agents/autoscale/decide.js";
import { processSample, sampleIntervalMs } from "../../../agents/autoscale/sample.js";
import { autoscaleSpec } from "../../../core/protocol/scaling.js";

const NOW = 1_800_000_000_000;
const policy = autoscaleSpec.parse({ min: 1, max: 10, windowSeconds: 60 });
const roomy = { maxInstances: 64, why: "the agent's limit of 64 instances per process" };

/** `n` samples spread evenly over the last `seconds`, all with the same load. */
function steady(cpuPercent: number, memoryPercent: number, n = 12, seconds = 60): ProcessSample[] {
	return Array.from({ length: n }, (_, i) => ({ atMs: NOW - Math.round((i * seconds * 1000) / n), cpuPercent, memoryPercent }));
}

function input(over: Partial<DecideInput>): DecideInput {
	return { nowMs: NOW, policy, current: 2, samples: steady(50, 50), lastUpAtMs: null, lastScaleAtMs: null, capacity: roomy, ...over };
}

describe("autoscaler decisions", () => {
	test("CPU above 70% over the window scales up, and says why", () => {
		const decision = decide(input({ samples: steady(90, 30) }));
		assert.equal(decision.kind, "scale");
		assert.equal(decision.action, "up");
		assert.equal(decision.from, 2);
		assert.equal(decision.to, 3, "ceil(2 * 90/70) = 3");
		assert.match(decision.reason, /CPU 90% > 70% averaged over 60 s/);
		assert.equal(decision.cpuPercent, 90);
	});

	test("memory above 80% alone scales up; a heavy load adds several at once", () => {
		assert.equal(decide(input({ samples: steady(10, 85) })).to, 3);
		assert.match(decide(input({ samples: steady(10, 85) })).reason, /memory 85% > 80%/);
		assert.equal(decide(input({ current: 2, samples: steady(280, 10) })).to, 8, "ceil(2 * 280/70) = 8");
	});

	test("exactly at the thresholds nothing happens: up is strictly above", () => {
		assert.equal(decide(input({ samples: steady(70, 80) })).kind, "steady");
	});

	test("a single spike in the window does not scale", () => {
		const samples = steady(40, 50);
		samples[0] = { ...samples[0]!, cpuPercent: 100, memoryPercent: 100 };
		const decision = decide(input({ samples }));
		assert.deepEqual([decision.kind, decision.action, decision.to], ["steady", "hold", 2]);
		assert.match(decision.reason, /CPU 45%, memory 54% averaged over 60 s: within thresholds/);
	});

	test("too few samples, or samples only from the start of the window, decide nothing yet", () => {
		assert.equal(decide(input({ samples: steady(99, 99, 2, 60) })).kind, "warming-up");
		assert.equal(decide(input({ samples: steady(99, 99, 10, 20) })).kind, "warming-up", "20 s of a 60 s window");
		const old = steady(99, 99).map((s) => ({ ...s, atMs: s.atMs - 120_000 }));
		assert.equal(decide(input({ samples: old })).kind, "warming-up", "samples older than the window are ignored");
	});

	test("down needs CPU < 35% AND memory < 40%, and goes one instance at a time", () => {
		const down = decide(input({ current: 4, samples: steady(10, 20) }));
		assert.deepEqual([down.kind, down.action, down.from, down.to], ["scale", "down", 4, 3]);
		assert.match(down.reason, /CPU 10% < 35% and memory 20% < 40%/);
		assert.equal(decide(input({ current: 4, samples: steady(10, 45) })).kind, "steady", "memory 45% keeps it");
		assert.equal(decide(input({ current: 4, samples: steady(36, 10) })).kind, "steady", "CPU 36% keeps it");
	});

	test("down does not go where the remaining instances would be over the up threshold", () => {
		// 2 instances at 34% -> 1 instance at 68%: fine; 2 at 34% of memory 39% -> 78%: fine. But 3 at 30% of 2 cores...
		assert.equal(decide(input({ current: 2, samples: steady(34, 10) })).action, "down");
		const policyLowUp = autoscaleSpec.parse({ ...policy, cpuUp: 50, cpuDown: 35 });
		assert.equal(decide(input({ policy: policyLowUp, current: 2, samples: steady(30, 10) })).kind, "steady", "1 instance at 60% would be over 50%");
	});

	test("min and max bound the count, whatever the load", () => {
		assert.equal(decide(input({ current: 1, samples: steady(5, 5) })).kind, "steady", "already at min 1");
		const atMin = decide(input({ policy: autoscaleSpec.parse({ min: 3, max: 10 }), current: 3, samples: steady(1, 1) }));
		assert.equal(atMin.action, "hold");
		const belowMin = decide(input({ policy: autoscaleSpec.parse({ min: 3, max: 10 }), current: 1, samples: [] }));
		assert.deepEqual([belowMin.action, belowMin.to], ["up", 3]);
		assert.match(belowMin.reason, /below min 3/);
		const aboveMax = decide(input({ policy: autoscaleSpec.parse({ min: 1, max: 2 }), current: 5, samples: [] }));
		assert.deepEqual([aboveMax.action, aboveMax.to], ["down", 2]);
		const capped = decide(input({ policy: autoscaleSpec.parse({ min: 1, max: 4 }), current: 3, samples: steady(200, 10) }));
		assert.deepEqual([capped.kind, capped.to], ["scale", 4]);
		assert.match(capped.reason, /capped at 4 by max 4/);
		const atMax = decide(input({ policy: autoscaleSpec.parse({ min: 1, max: 4 }), current: 4, samples: steady(200, 10) }));
		assert.deepEqual([atMax.kind, atMax.action, atMax.to], ["capped", "hold", 4]);
		assert.match(atMax.reason, /would scale up \(CPU 200% > 70%.*\) but 4 is the most allowed: max 4/);
	});

	test("the server's cores and memory bound the count below max, and the reason names them", () => {
		const capacity = capacityOf({ cpus: 2, availableBytes: 8 * 1024 ** 3, perInstanceBytes: 100 * 1024 ** 2, current: 2, hardMax: 64 });
		assert.deepEqual(capacity, { maxInstances: 2, why: "the server's 2 core(s)" });
		const decision = decide(input({ current: 2, samples: steady(95, 10), capacity }));
		assert.deepEqual([decision.kind, decision.to], ["capped", 2]);
		assert.match(decision.reason, /the server's 2 core\(s\)/);
		assert.equal(capacityOf({ cpus: 2, cpuLimit: 0.5, availableBytes: 8 * 1024 ** 3, perInstanceBytes: 1, current: 1, hardMax: 64 }).maxInstances, 4, "half a core each: 4 fit on 2 cores");
		const byMemory = capacityOf({ cpus: 16, availableBytes: 1000 * 1024 ** 2, perInstanceBytes: 300 * 1024 ** 2, current: 2, hardMax: 64 });
		assert.equal(byMemory.maxInstances, 5, "2 running + floor(900 MiB / 300 MiB)");
		assert.match(byMemory.why, /free memory/);
		assert.equal(capacityOf({ cpus: 1, availableBytes: 0, perInstanceBytes: 1, current: 3, hardMax: 64 }).maxInstances, 3, "never below what runs");
	});

	test("after a scale up, the next scale up waits 60 s; then it goes", () => {
		const cooling = decide(input({ samples: steady(95, 10), lastUpAtMs: NOW - 30_000, lastScaleAtMs: NOW - 30_000 }));
		assert.deepEqual([cooling.kind, cooling.action, cooling.to], ["cooldown", "hold", 2]);
		assert.match(cooling.reason, /would scale up .* but the last scale up was 30 s ago \(cooldown 60 s\)/);
		assert.equal(decide(input({ samples: steady(95, 10), lastUpAtMs: NOW - 60_000, lastScaleAtMs: NOW - 60_000 })).kind, "scale");
	});

	test("a scale down waits 300 s after the last scale, up or down; a scale up does not wait after a scale down", () => {
		const afterUp = decide(input({ current: 3, samples: steady(5, 5), lastUpAtMs: NOW - 120_000, lastScaleAtMs: NOW - 120_000 }));
		assert.deepEqual([afterUp.kind, afterUp.to], ["cooldown", 3]);
		assert.match(afterUp.reason, /would scale down .* but the last scale was 120 s ago \(cooldown 300 s\)/);
		assert.equal(decide(input({ current: 3, samples: steady(5, 5), lastScaleAtMs: NOW - 299_000 })).kind, "cooldown");
		assert.equal(decide(input({ current: 3, samples: steady(5, 5), lastScaleAtMs: NOW - 300_000 })).kind, "scale");
		assert.equal(decide(input({ samples: steady(95, 5), lastUpAtMs: null, lastScaleAtMs: NOW - 10_000 })).kind, "scale", "up right after a down");
	});

	test("the clock is the injected one: the same samples decide differently later", () => {
		const base = input({ samples: steady(95, 10), lastUpAtMs: NOW - 59_000 });
		assert.equal(decide(base).kind, "cooldown");
		const later = { ...base, nowMs: NOW + 1_000, samples: base.samples.map((s) => ({ ...s, atMs: s.atMs + 1_000 })) };
		assert.equal(decide(later).kind, "scale");
	});
});

describe("autoscaler samples", () => {
	const machine = { totalBytes: 8 * 1024 ** 3, cpus: 4 };

	test("CPU is a percent of the CPU limit and memory of the memory limit; without limits, of one core and the machine's memory per core", () => {
		const limited = processSample(
			[
				{ cpuPercent: 40, rssBytes: 256 * 1024 ** 2 },
				{ cpuPercent: 20, rssBytes: 128 * 1024 ** 2 },
			],
			{ cpu: 0.5, memoryBytes: 512 * 1024 ** 2 },
			machine,
			NOW,
		);
		assert.deepEqual(limited, { atMs: NOW, cpuPercent: 60, memoryPercent: 37.5 });
		const unlimited = processSample([{ cpuPercent: 50, rssBytes: 1024 ** 3 }], undefined, machine, NOW);
		assert.deepEqual(unlimited, { atMs: NOW, cpuPercent: 50, memoryPercent: 50 });
		assert.equal(processSample([], undefined, machine, NOW), null);
	});

	test("six samples per window, one to five seconds apart", () => {
		assert.deepEqual([sampleIntervalMs(3), sampleIntervalMs(12), sampleIntervalMs(60), sampleIntervalMs(600)], [1_000, 2_000, 5_000, 5_000]);
	});
});
