// Aggregation, downsampling and retention of the agent's metrics, with synthetic
// requests and samples and an injected clock: days of data in a second, real files.
import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, test } from "vitest";
import { Aggregator } from "../../../agents/metrics/aggregator.js";
import { buildStats } from "../../../agents/metrics/builds.js";
import { type Histogram, merge, quantile, record } from "../../../agents/metrics/histogram.js";
import { appReport } from "../../../agents/metrics/report.js";
import { SeriesStore } from "../../../agents/metrics/series-store.js";
import { capacity, TIERS, tierFor } from "../../../agents/metrics/tiers.js";
import type { DeploymentRecord } from "../../../core/protocol/index.js";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const START = Date.UTC(2026, 0, 1);

let dir: string;
let now: number;
const clock = () => now;

beforeEach(async () => {
	dir = await mkdtemp(join(tmpdir(), "deploy-metrics-"));
	now = START;
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

/** The true q-quantile by nearest rank, to compare the histogram's estimate with. */
function exactQuantile(values: number[], q: number): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]!;
}

describe("latency histogram", () => {
	test("percentiles of merged histograms match the whole population within 10 %, where averaging percentiles is far off", () => {
		// Bucket A: 900 fast requests; bucket B: 100 slow ones. The p95 of both together is slow.
		const fast = Array.from({ length: 900 }, (_, i) => 2 + (i % 10) * 0.3);
		const slow = Array.from({ length: 100 }, (_, i) => 400 + i * 4);
		const a: Histogram = {};
		const b: Histogram = {};
		for (const ms of fast) record(a, ms);
		for (const ms of slow) record(b, ms);
		const merged = merge(merge({}, a), b);
		for (const q of [0.5, 0.95, 0.99]) {
			const exact = exactQuantile([...fast, ...slow], q);
			const estimate = quantile(merged, q)!;
			assert.ok(Math.abs(estimate - exact) / exact < 0.1, `q${q}: estimate ${estimate} vs exact ${exact}`);
		}
		const averaged = (quantile(a, 0.95)! + quantile(b, 0.95)!) / 2;
		assert.ok(Math.abs(averaged - exactQuantile([...fast, ...slow], 0.95)) > 100, "the naive average really is wrong here");
		assert.equal(quantile({}, 0.5), null);
	});
});

describe("aggregator", () => {
	test("requests and samples land in every tier; each range is answered by the finest tier that covers it, with the same totals", async () => {
		const aggregator = new Aggregator(new SeriesStore(dir), clock);
		// Two hours of traffic: one request every 10 s, every 10th a 500; CPU sampled alike.
		for (let i = 0; i < 720; i++) {
			now = START + i * 10_000;
			aggregator.addRequest("shop", now, i % 10 === 0 ? 500 : 200, 5 + (i % 3), 1000);
			aggregator.addSample("shop", now, [{ id: "web.1", cpuPercent: 10, memoryBytes: 50_000_000 }]);
			if (i % 6 === 5) await aggregator.flush();
		}
		now = START + 2 * HOUR;
		const inLast = async (sinceMs: number) => {
			const tier = tierFor(sinceMs);
			return appReport("shop", tier, await aggregator.buckets("shop", tier, now - sinceMs), now - sinceMs, now, buildStats([], now - sinceMs));
		};
		const hour = await inLast(HOUR);
		assert.equal(hour.resolutionSeconds, 10);
		assert.equal(hour.points.length, 361, "a point per 10 s bucket, the current one included");
		assert.equal(hour.totals.requests, 360);
		assert.equal(hour.totals.s5xx, 36);
		assert.equal(hour.totals.s2xx, 324);
		assert.equal(hour.totals.errorRatePercent, 10);
		assert.equal(hour.totals.bytes, 360_000);
		const day = await inLast(DAY);
		assert.equal(day.resolutionSeconds, 60);
		assert.equal(day.totals.requests, 720, "the 1 min tier holds both hours");
		assert.equal(day.totals.s5xx, 72);
		const month = await inLast(30 * DAY);
		assert.equal(month.resolutionSeconds, 3600);
		assert.equal(month.totals.requests, 720);
		assert.deepEqual(month.totals.latencyMs, day.totals.latencyMs, "the same merged histogram, whatever the bucket size");
		const p50 = day.totals.latencyMs!.p50;
		assert.ok(p50 >= 5 && p50 <= 7.5, `p50 ${p50}`);
		const sampled = hour.points.filter((p) => p.cpuPercent !== null);
		assert.ok(sampled.length >= 359 && sampled.every((p) => p.cpuPercent === 10 && p.memoryBytes === 50_000_000));
		assert.deepEqual(hour.instances.map((i) => i.id), ["web.1"]);
	});

	test("what is not flushed yet is part of the answer; a new aggregator (an agent restart) reads what was flushed", async () => {
		const store = new SeriesStore(dir);
		const first = new Aggregator(store, clock);
		first.addRequest("shop", now, 200, 3, 10);
		await first.flush();
		first.addRequest("shop", now, 503, 3, 10);
		const tier = TIERS[0]!;
		assert.equal((await first.buckets("shop", tier, now - HOUR)).reduce((sum, b) => sum + b.requests, 0), 2);
		const restarted = new Aggregator(new SeriesStore(dir), clock);
		const buckets = await restarted.buckets("shop", tier, now - HOUR);
		assert.equal(buckets.reduce((sum, b) => sum + b.requests, 0), 1, "the unflushed request is lost, the flushed one kept");
		assert.deepEqual(await restarted.apps(), ["shop"]);
	});

	test("31 days of samples: each tier's file stays under 2 x its capacity in lines, nothing older than 30 days is kept, the folder stays small", async () => {
		const store = new SeriesStore(dir);
		const aggregator = new Aggregator(store, clock);
		const instances = Array.from({ length: 4 }, (_, n) => ({ id: `web.${n + 1}`, cpuPercent: 20 + n, memoryBytes: 80_000_000 + n }));
		// A flush every 30 minutes with a sample and a few requests in it: 31 days of ticks.
		for (let t = 0; t <= 31 * DAY; t += 30 * 60_000) {
			now = START + t;
			aggregator.addSample("shop", now, instances);
			for (let r = 0; r < 5; r++) aggregator.addRequest("shop", now, r === 0 ? 404 : 200, 1 + r * 50, 512);
			await aggregator.flush();
		}
		for (const tier of TIERS) {
			const lines = (await readFile(store.file("shop", tier), "utf8")).split("\n").filter(Boolean).length;
			assert.ok(lines <= 2 * capacity(tier), `${tier.name}: ${lines} lines`);
		}
		await store.expire(TIERS, now);
		const month = await aggregator.buckets("shop", TIERS[2]!, 0);
		assert.ok(month.length > 0);
		assert.ok(month[0]!.t >= now - 30 * DAY - HOUR, `oldest hourly bucket ${new Date(month[0]!.t).toISOString()} is within 30 days`);
		const oldestMinute = (await aggregator.buckets("shop", TIERS[1]!, 0))[0]!;
		assert.ok(oldestMinute.t >= now - DAY - 60_000, "the minute tier keeps 24 h");
		let bytes = 0;
		for (const name of await readdir(join(dir, "shop"))) bytes += (await stat(join(dir, "shop", name))).size;
		assert.ok(bytes < 2 * 1024 * 1024, `metrics of one app take ${bytes} bytes`);
		// An app whose data all expired leaves no folder behind.
		now += 31 * DAY;
		await store.expire(TIERS, now);
		assert.deepEqual(await readdir(dir), []);
	});

	test("a torn last line (a crash mid-append) is skipped, the rest still reads", async () => {
		const store = new SeriesStore(dir);
		const aggregator = new Aggregator(store, clock);
		aggregator.addRequest("shop", now, 200, 1, 1);
		await aggregator.flush();
		const { appendFile } = await import("node:fs/promises");
		await appendFile(store.file("shop", TIERS[0]!), '{"t":17677');
		assert.equal((await aggregator.buckets("shop", TIERS[0]!, 0)).length, 1);
	});
});

describe("build stats", () => {
	const record = (id: string, status: DeploymentRecord["status"], createdAt: number, seconds: number | null): DeploymentRecord => ({
		id,
		app: "shop",
		status,
		commit: null,
		url: null,
		createdAt: new Date(createdAt).toISOString(),
		finishedAt: seconds === null ? null : new Date(createdAt + seconds * 1000).toISOString(),
		error: null,
	});

	test("success rate and build times of the deployments finished in the range; running and older ones left out", () => {
		const stats = buildStats(
			[
				record("d1", "superseded", START, 30),
				record("d2", "failed", START + 60_000, 5),
				record("d3", "live", START + 120_000, 12),
				record("d4", "building", START + 180_000, null),
				record("d0", "superseded", START - DAY, 99),
			],
			START - HOUR,
		);
		assert.equal(stats.total, 3);
		assert.equal(stats.succeeded, 2);
		assert.equal(stats.failed, 1);
		assert.equal(stats.successRatePercent, 66.7);
		assert.deepEqual(stats.durationSeconds, { p50: 12, p95: 30, max: 30 });
		assert.deepEqual(stats.recent.map((r) => r.id), ["d3", "d2", "d1"]);
	});
});
