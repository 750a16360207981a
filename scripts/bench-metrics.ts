// Measures the agent's metrics path on this machine: how fast access log lines are
// parsed and aggregated, and what a month of metrics weighs on disk per app.
// Run: npx tsx scripts/bench-metrics.ts
import { appendFile, mkdtemp, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseAccessLine } from "../agents/metrics/access-line.js";
import { Aggregator } from "../agents/metrics/aggregator.js";
import { LogFollower } from "../agents/metrics/log-follower.js";
import { SeriesStore } from "../agents/metrics/series-store.js";

const dir = await mkdtemp(join(tmpdir(), "bench-metrics-"));
try {
	// 1. 200 000 Caddy access lines through the follower, parser and aggregator.
	const log = join(dir, "access.log");
	const lines = 200_000;
	const now = Date.now();
	const line = (i: number) =>
		`${JSON.stringify({ level: "info", ts: now / 1000, logger: "http.log.access.deploy_access", msg: "handled request", request: { remote_ip: "127.0.0.1", proto: "HTTP/1.1", method: "GET", host: `app${i % 5}.example.com`, uri: "/", headers: { "User-Agent": ["bench"] } }, bytes_read: 0, duration: (i % 100) / 1000, size: 1234, status: i % 20 ? 200 : 500, resp_headers: {} })}\n`;
	await writeFile(log, "");
	for (let start = 0; start < lines; start += 10_000) await appendFile(log, Array.from({ length: 10_000 }, (_, k) => line(start + k)).join(""));
	const aggregator = new Aggregator(new SeriesStore(join(dir, "apps")), () => now);
	const follower = new LogFollower(log, join(dir, "position.json"));
	const started = performance.now();
	let counted = 0;
	for (let batch = await follower.readLines(); batch.length; batch = await follower.readLines()) {
		for (const text of batch) {
			const entry = parseAccessLine(text);
			if (entry) {
				aggregator.addRequest(entry.host, entry.atMs, entry.status, entry.durationMs, entry.bytes);
				counted++;
			}
		}
	}
	await aggregator.flush();
	const seconds = (performance.now() - started) / 1000;
	console.log(`access log: ${counted} lines in ${seconds.toFixed(2)} s = ${Math.round(counted / seconds)} lines/s`);

	// 2. 30 days of 1 h buckets + 24 h of 1 min + 1 h of 10 s for one app, 2 instances, compacted.
	const store = new SeriesStore(join(dir, "month"));
	let clock = Date.UTC(2026, 0, 1);
	const month = new Aggregator(store, () => clock);
	const instances = [
		{ id: "web.1", cpuPercent: 12.3, memoryBytes: 81_234_567 },
		{ id: "web.2", cpuPercent: 13.3, memoryBytes: 81_234_568 },
	];
	for (let tick = 0; tick < 30 * 24 * 6; tick++) {
		clock += 600_000;
		for (let k = 0; k < 60; k++) {
			month.addSample("shop", clock - k * 10_000, instances);
			for (let r = 0; r < 20; r++) month.addRequest("shop", clock - k * 10_000, r % 7 ? 200 : 500, ((k * 20 + r) % 300) + 0.5, 2000);
		}
		await month.flush();
	}
	let bytes = 0;
	for (const name of await readdir(join(dir, "month", "shop"))) {
		const size = (await stat(join(dir, "month", "shop", name))).size;
		bytes += size;
		console.log(`  ${name}: ${(size / 1024).toFixed(0)} kB`);
	}
	console.log(`a month of metrics for one app: ${(bytes / 1024 / 1024).toFixed(2)} MB`);
} finally {
	await rm(dir, { recursive: true, force: true });
}
