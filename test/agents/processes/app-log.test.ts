// The app log's line format, filters and retention, on real files in a temp folder.
import assert from "node:assert/strict";
import { mkdtemp, readdir, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, test } from "vitest";
import { formatAppLogLine, parseAppLogLine } from "../../../agents/processes/app-log-line.js";
import { queryAppLog } from "../../../agents/processes/app-log-query.js";
import { pruneExpired } from "../../../agents/processes/log-rotate.js";

describe("app log", () => {
	const dirs: string[] = [];
	afterAll(async () => {
		for (const dir of dirs) await rm(dir, { recursive: true, force: true });
	});
	const logDir = async () => {
		const dir = await mkdtemp(join(tmpdir(), "deploy-app-log-"));
		dirs.push(dir);
		return dir;
	};
	const line = (time: string, instance: string, text: string) => formatAppLogLine(new Date(time), instance, text);

	test("a stamped line parses back; an unstamped one keeps its text", () => {
		assert.deepEqual(parseAppLogLine(line("2026-11-27T07:00:00.000Z", "web:4000", "GET / 200 took 3 ms").trimEnd()), {
			time: "2026-11-27T07:00:00.000Z",
			instance: "web:4000",
			text: "GET / 200 took 3 ms",
		});
		assert.deepEqual(parseAppLogLine("hello from an older agent"), { time: null, instance: null, text: "hello from an older agent" });
	});

	test("filters apply across rotated files, oldest first, and keep the last N matches", async () => {
		const dir = await logDir();
		const path = join(dir, "app.log");
		await writeFile(`${path}.2`, line("2026-11-27T05:00:00.000Z", "web:4000", "Error: early") + line("2026-11-27T05:30:00.000Z", "worker:4001", "tick"));
		await writeFile(`${path}.1`, line("2026-11-27T06:00:00.000Z", "web:4000", "error: middle"));
		await writeFile(path, `unstamped error line\n${line("2026-11-27T07:00:00.000Z", "web:4002", "ERROR late")}${line("2026-11-27T07:01:00.000Z", "web:4000", "fine")}`);
		const texts = async (filter: Parameters<typeof queryAppLog>[1], limit = 100) => (await queryAppLog(path, filter, limit)).lines.map((l) => l.text);
		assert.deepEqual(await texts({ grep: "ERROR" }), ["Error: early", "error: middle", "unstamped error line", "ERROR late"]);
		assert.deepEqual(await texts({ grep: "error" }, 2), ["unstamped error line", "ERROR late"]);
		assert.deepEqual(await texts({ instance: "web:4000" }), ["Error: early", "error: middle", "fine"]);
		assert.deepEqual(await texts({ instance: "*:4002" }), ["ERROR late"]);
		assert.deepEqual(await texts({ sinceMs: Date.parse("2026-11-27T05:45:00Z"), grep: "error" }), ["error: middle", "ERROR late"]);
	});

	test("retention deletes rotated files last written before it, and nothing else", async () => {
		const dir = await logDir();
		const path = join(dir, "app.log");
		for (const name of ["app.log", "app.log.1", "app.log.2", "app.log.3", "other.log.9"]) await writeFile(join(dir, name), "x\n");
		const old = new Date(Date.now() - 31 * 86_400_000);
		for (const name of ["app.log", "app.log.3", "other.log.9"]) await utimes(join(dir, name), old, old);
		assert.deepEqual(await pruneExpired(path, 30 * 86_400_000), [join(dir, "app.log.3")]);
		assert.deepEqual((await readdir(dir)).sort(), ["app.log", "app.log.1", "app.log.2", "other.log.9"]);
	});
});
