// Issue 14, item 9: a static site's requests, read from the proxy's access log as lines
// of the app's log: by host, in the files Caddy rolls, filtered, merged in time order.
import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, test } from "vitest";
import { HostMap } from "../../../agents/metrics/host-map.js";
import { accessLogLine, mergeByTime, queryAccessLog } from "../../../agents/proxy/access-log-query.js";
import { RouteStore } from "../../../agents/proxy/route-store.js";

const caddyLine = (host: string, uri: string, status: number, ts: number, duration = 0.0004) =>
	JSON.stringify({ level: "info", ts, logger: "http.log.access.deploy_access", msg: "handled request", request: { method: "GET", host, uri, headers: {} }, duration, size: 10, status });

const site = new Set(["site.example.com"]);
const file = (...lines: string[]) => lines.map((line) => `${line}\n`).join("");

describe("a static site's access lines", () => {
	test("a request to one of the site's hosts: method, URI, status, duration, its time, and the proxy in the instance's place", () => {
		assert.deepEqual(accessLogLine(caddyLine("Site.example.com:8080", "/about?x=1", 404, 1767225600.25, 0.0123), site, "caddy"), {
			time: "2026-01-01T00:00:00.250Z",
			instance: "caddy",
			text: "GET /about?x=1 404 12 ms",
		});
		const traefik = JSON.stringify({ RequestHost: "site.example.com", RequestMethod: "HEAD", RequestPath: "/", DownstreamStatus: 200, Duration: 400_000, StartUTC: "2026-01-01T00:00:00Z" });
		assert.deepEqual(accessLogLine(traefik, site, "traefik"), { time: "2026-01-01T00:00:00.000Z", instance: "traefik", text: "HEAD / 200 0.4 ms" });
	});

	test("another app's requests and lines that are no request are left out", () => {
		assert.equal(accessLogLine(caddyLine("shop.example.com", "/", 200, 1), site, "caddy"), null);
		assert.equal(accessLogLine("not json", site, "caddy"), null);
	});

	test("two logs merge oldest first; unstamped lines of older agents come first", () => {
		const line = (time: string | null, text: string) => ({ time, instance: null, text });
		assert.deepEqual(
			mergeByTime([line(null, "old"), line("2026-01-01T00:00:01.000Z", "a1"), line("2026-01-01T00:00:03.000Z", "a3")], [line("2026-01-01T00:00:02.000Z", "b2"), line("2026-01-01T00:00:04.000Z", "b4")]).map((l) => l.text),
			["old", "a1", "b2", "a3", "b4"],
		);
	});
});

describe("reading the access log files", () => {
	let dir: string;
	beforeAll(async () => {
		dir = await mkdtemp(join(tmpdir(), "deploy-access-query-"));
	});
	afterAll(async () => {
		await rm(dir, { recursive: true, force: true });
	});

	test("the rolled file first, then the live one; the last `limit` that pass the filter, and the live file's size", async () => {
		const live = file(caddyLine("site.example.com", "/c", 200, 1767225603), caddyLine("shop.example.com", "/x", 200, 1767225604), caddyLine("site.example.com", "/d", 500, 1767225605));
		await writeFile(join(dir, "access-2026-01-01T00-00-02.000.log"), file(caddyLine("site.example.com", "/a", 200, 1767225601), caddyLine("site.example.com", "/b", 200, 1767225602)));
		await writeFile(join(dir, "access.log"), live);
		const path = join(dir, "access.log");
		const all = await queryAccessLog(path, site, "caddy", {}, 100);
		assert.deepEqual(
			all.lines.map((l) => l.text),
			["GET /a 200 0.4 ms", "GET /b 200 0.4 ms", "GET /c 200 0.4 ms", "GET /d 500 0.4 ms"],
		);
		assert.equal(all.size, Buffer.byteLength(live));
		assert.deepEqual(
			(await queryAccessLog(path, site, "caddy", {}, 2)).lines.map((l) => l.text),
			["GET /c 200 0.4 ms", "GET /d 500 0.4 ms"],
		);
		assert.deepEqual(
			(await queryAccessLog(path, site, "caddy", { grep: " 500 " }, 100)).lines.map((l) => l.text),
			["GET /d 500 0.4 ms"],
		);
		assert.deepEqual(await queryAccessLog(join(dir, "none", "access.log"), site, "caddy", {}, 100), { lines: [], size: 0 });
	});
});

describe("the metrics' host map", () => {
	let dir: string;
	beforeAll(async () => {
		dir = await mkdtemp(join(tmpdir(), "deploy-host-map-"));
		await mkdir(join(dir, "routes"));
	});
	afterAll(async () => {
		await rm(dir, { recursive: true, force: true });
	});

	test("a host routed after the last read counts for its app at once, not after the map's maximum age", async () => {
		const hosts = new HostMap(dir, 60_000);
		const store = new RouteStore(join(dir, "routes"));
		await store.put({ app: "shop", hosts: ["shop.example.com"], upstreams: [{ host: "127.0.0.1", port: 4000 }] });
		assert.equal(await hosts.appOf("shop.example.com", 0), "shop");
		assert.equal(await hosts.appOf("site.example.com", 1), undefined);
		// A folder's mtime moves in clock ticks (a few ms): the next route is written a tick later, as a deploy's is.
		await sleep(20);
		await store.put({ app: "site", hosts: ["site.example.com"], upstreams: [], static: { root: dir, spa: false } });
		assert.equal(await hosts.appOf("site.example.com", 2), "site");
	});
});
