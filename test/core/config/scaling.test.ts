// deploy.yaml's autoscale and limits: validated at the boundary, mapped to the wire spec.
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, test } from "vitest";
import { loadProjectConfig, toAppSpec } from "../../../core/config/index.js";
import { parseMemorySize } from "../../../core/protocol/config/scaling.js";

const root = await mkdtemp(join(tmpdir(), "deploy-scaling-config-"));
afterAll(() => rm(root, { recursive: true, force: true }));

let count = 0;
async function load(yaml: string) {
	const dir = join(root, `p${count++}`);
	await (await import("node:fs/promises")).mkdir(dir);
	await writeFile(join(dir, "deploy.yaml"), `app: shop\n${yaml}`);
	return loadProjectConfig(dir);
}

describe("deploy.yaml autoscale and limits", () => {
	test("sizes read as binary units, like systemd and Docker", () => {
		assert.deepEqual(
			["512M", "1G", "1.5G", "256MiB", "64m", "1048576", "2 GB"].map(parseMemorySize),
			[512 * 1024 ** 2, 1024 ** 3, 1.5 * 1024 ** 3, 256 * 1024 ** 2, 64 * 1024 ** 2, 1024 ** 2, 2 * 1024 ** 3],
		);
		assert.equal(parseMemorySize("lots"), null);
	});

	test("an autoscale block gets the documented defaults; limits become bytes and cores on the wire", async () => {
		const result = await load("processes:\n  web:\n    autoscale: { max: 4 }\n    limits: { memory: 512M, cpu: 0.5 }\n");
		assert.ok(result.ok, JSON.stringify(result));
		const web = toAppSpec(result.config).processes.web!;
		assert.deepEqual(web.autoscale, { min: 1, max: 4, cpuUp: 70, memoryUp: 80, cpuDown: 35, memoryDown: 40, upCooldownSeconds: 60, downCooldownSeconds: 300, windowSeconds: 60 });
		assert.deepEqual(web.limits, { memoryBytes: 512 * 1024 ** 2, cpu: 0.5 });
	});

	test("without the keys, a process has no autoscale and no limits", async () => {
		const result = await load("processes:\n  web: { command: node server.js }\n");
		assert.ok(result.ok);
		const web = toAppSpec(result.config).processes.web!;
		assert.equal(web.autoscale, undefined);
		assert.equal(web.limits, undefined);
	});

	test("bad values are rejected with their path and a reason", async () => {
		const cases: [string, RegExp][] = [
			["autoscale: { min: 5, max: 2 }", /processes\/web\/autoscale\/min: min must not be above max/],
			["autoscale: { cpuDown: 80, cpuUp: 70 }", /autoscale\/cpuDown: .*below the up thresholds/],
			["autoscale: { max: 101 }", /autoscale\/max/],
			["autoscale: { window: 3 }", /autoscale/],
			["limits: { memory: lots }", /limits\/memory: .*a size like 512M/],
			["limits: { memory: 1M }", /limits\/memory: .*at least 16M/],
			["limits: { cpu: 0 }", /limits\/cpu/],
		];
		for (const [line, expected] of cases) {
			const result = await load(`processes:\n  web:\n    ${line}\n`);
			assert.equal(result.ok, false, line);
			const text = result.ok ? "" : result.errors.map((e) => `${e.path}: ${e.message}`).join("\n");
			assert.match(text, expected, `${line}: ${text}`);
		}
	});
});
