// Reading the proxy's access log: Caddy's and Traefik's JSON lines, and following the
// file across appends, torn lines, rotation, truncation and an agent restart.
import assert from "node:assert/strict";
import { appendFile, mkdtemp, rename, rm, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, test } from "vitest";
import { parseAccessLine } from "../../../agents/metrics/access-line.js";
import { LogFollower } from "../../../agents/metrics/log-follower.js";
import { withAccessLog } from "../../../agents/proxy/caddy/access-log.js";

describe("access log lines", () => {
	test("a Caddy line: host without port, status, seconds to ms, body bytes, time", () => {
		const line = JSON.stringify({
			level: "info",
			ts: 1767225600.25,
			logger: "http.log.access.deploy_access",
			msg: "handled request",
			request: { remote_ip: "127.0.0.1", proto: "HTTP/1.1", method: "GET", host: "Shop.127.0.0.1.sslip.io:8080", uri: "/", headers: {} },
			bytes_read: 0,
			duration: 0.0123,
			size: 27,
			status: 500,
			resp_headers: {},
		});
		assert.deepEqual(parseAccessLine(line), { host: "shop.127.0.0.1.sslip.io", status: 500, durationMs: 12.3, bytes: 27, atMs: 1767225600250 });
	});

	test("a Traefik line: RequestHost, DownstreamStatus, Duration in ns, DownstreamContentSize, StartUTC", () => {
		const line = JSON.stringify({ RequestHost: "shop.example.com", DownstreamStatus: 404, Duration: 2_500_000, DownstreamContentSize: 10, StartUTC: "2026-01-01T00:00:00Z" });
		assert.deepEqual(parseAccessLine(line), { host: "shop.example.com", status: 404, durationMs: 2.5, bytes: 10, atMs: Date.parse("2026-01-01T00:00:00Z") });
	});

	test("anything else is not a request", () => {
		for (const line of ["", "not json", "{}", '{"level":"info","msg":"serving initial configuration"}', "[1,2]"]) assert.equal(parseAccessLine(line), null, line);
	});

	test("the Caddy config gets access logs on every server, written as JSON to the proxy folder, kept out of caddy.log", () => {
		const config = withAccessLog("/srv/proxy", { admin: {}, apps: { http: { servers: { deploy: { listen: [":80"] }, "deploy-tls": { listen: [":443"] } } } } });
		assert.deepEqual(config.apps.http.servers, {
			deploy: { listen: [":80"], logs: { default_logger_name: "deploy_access" } },
			"deploy-tls": { listen: [":443"], logs: { default_logger_name: "deploy_access" } },
		});
		assert.deepEqual(config.logging, {
			logs: {
				default: { exclude: ["http.log.access.deploy_access"] },
				deploy_access: {
					writer: { output: "file", filename: "/srv/proxy/access.log", roll_size_mb: 20, roll_keep: 1, roll_keep_days: 30 },
					encoder: { format: "json" },
					include: ["http.log.access.deploy_access"],
				},
			},
		});
	});
});

describe("following the log", () => {
	let dir: string;
	let log: string;
	let position: string;
	beforeEach(async () => {
		dir = await mkdtemp(join(tmpdir(), "deploy-follow-"));
		log = join(dir, "access.log");
		position = join(dir, "position.json");
	});
	afterEach(async () => rm(dir, { recursive: true, force: true }));

	test("no file yet: nothing; then only new complete lines, a torn line when it is complete", async () => {
		const follower = new LogFollower(log, position);
		assert.deepEqual(await follower.readLines(), []);
		await writeFile(log, "a\nb\n");
		assert.deepEqual(await follower.readLines(), ["a", "b"]);
		assert.deepEqual(await follower.readLines(), []);
		await appendFile(log, "c\nhalf");
		assert.deepEqual(await follower.readLines(), ["c"]);
		await appendFile(log, "-done\n");
		assert.deepEqual(await follower.readLines(), ["half-done"]);
		await follower.close();
	});

	test("rotation: the rest of the old file, then the new one from its start", async () => {
		const follower = new LogFollower(log, position);
		await writeFile(log, "1\n");
		assert.deepEqual(await follower.readLines(), ["1"]);
		await appendFile(log, "2\n");
		await rename(log, join(dir, "access-2026-01-01.log"));
		await writeFile(log, "3\n");
		assert.deepEqual(await follower.readLines(), ["2", "3"]);
		await appendFile(log, "4\n");
		assert.deepEqual(await follower.readLines(), ["4"]);
		await follower.close();
	});

	test("truncated in place: starts over", async () => {
		const follower = new LogFollower(log, position);
		await writeFile(log, "one\ntwo\n");
		await follower.readLines();
		await truncate(log, 0);
		await appendFile(log, "three\n");
		assert.deepEqual(await follower.readLines(), ["three"]);
		await follower.close();
	});

	test("an agent restart resumes where the last one stopped: no line counted twice or skipped", async () => {
		const first = new LogFollower(log, position);
		await writeFile(log, "a\nb\n");
		assert.deepEqual(await first.readLines(), ["a", "b"]);
		await first.close();
		await appendFile(log, "c\n");
		const second = new LogFollower(log, position);
		assert.deepEqual(await second.readLines(), ["c"]);
		await second.close();
		// Rotated while the agent was down: the new file is read from its start.
		await rename(log, join(dir, "old.log"));
		await writeFile(log, "d\n");
		const third = new LogFollower(log, position);
		assert.deepEqual(await third.readLines(), ["d"]);
		await third.close();
	});
});
