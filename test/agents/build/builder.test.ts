// The builder against real apps from npm templates, a real daemon, the builtin proxy
// and (for the static site) a real Caddy: detection, the caches, static serving,
// failures, timeouts, cancel, huge output, and the agent's memory.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, test } from "vitest";
import { createProxyDriver } from "../../../agents/proxy/index.js";
import { type DeployEvent, DeployError, type ParamsOf } from "../../../core/protocol/index.js";
import { type Bridge, connectBridge, freePort, installAgent,  snapshot, stopAgent, upload } from "../../helpers/agent-harness.js";
import { expressApp, viteReactApp } from "../../helpers/app-templates.js";

type Spec = ParamsOf<"deploy">["app"];

/** GET through a proxy with a Host header; the raw headers and body as a browser would see them. */
function get(port: number, host: string, path = "/", headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
	return new Promise((resolve, reject) => {
		const req = request({ host: "127.0.0.1", port, path, headers: { host, ...headers }, agent: false }, (res) => {
			const chunks: Buffer[] = [];
			res.on("data", (chunk: Buffer) => chunks.push(chunk));
			res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("latin1") }));
		});
		req.on("error", reject);
		req.end();
	});
}

function rssBytes(pid: number): number {
	const line = readFileSync(`/proc/${pid}/status`, "utf8").split("\n").find((l) => l.startsWith("VmRSS:"))!;
	return Number(line.split(/\s+/)[1]) * 1024;
}

/** Pids whose command line contains `marker`: what a killed build must not leave behind. */
function processesWith(marker: string): number[] {
	return readdirSync("/proc")
		.filter((name) => /^\d+$/.test(name))
		.filter((pid) => {
			try {
				return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(marker);
			} catch {
				return false;
			}
		})
		.map(Number);
}

describe("builder", () => {
	let work: string;
	let home: string;
	let agentPath: string;
	let httpPort: number;
	let bridge: Bridge;
	let vite: string;
	let express: string;
	let caddyPort = 0;
	const bridges: Bridge[] = [];
	const open = () => {
		const b = connectBridge(agentPath, home, { DEPLOY_AGENT_SETTLE_MS: "100" });
		bridges.push(b);
		return b;
	};
	const deploy = async (dir: string, app: Spec, overrides: Record<string, string> = {}, events: DeployEvent[] = []) => {
		const snap = snapshot(dir, overrides);
		await upload(bridge.rpc, snap);
		return bridge.rpc.call("deploy", { app, manifest: snap.manifest, commit: null }, { onEvent: (e) => events.push(e) });
	};
	const rejection = async (promise: Promise<unknown>, code: string) => {
		const error = await promise.then(() => assert.fail(`expected ${code}`), (e: unknown) => e);
		assert.ok(error instanceof DeployError, String(error));
		assert.equal(error.code, code, error.message);
		return error;
	};
	const daemonPid = () => Number(readFileSync(join(home, "agent.pid"), "utf8"));
	const expSpec = (extra: Partial<Spec> = {}): Spec => ({ name: "exp", processes: { web: { drainSeconds: 1 } }, ...extra });
	const spaSpec = (extra: Partial<Spec> = {}): Spec => ({ name: "spa", processes: { web: { drainSeconds: 1 } }, ...extra });
	const pids = async (app: string) => (await bridge.rpc.call("ps", { app })).map((i) => i.pid).sort();

	beforeAll(async () => {
		work = await mkdtemp(join(tmpdir(), "deploy-builder-"));
		home = join(work, "home");
		vite = viteReactApp(work);
		express = expressApp(work);
		agentPath = installAgent(home);
		httpPort = await freePort();
		bridge = open();
		await bridge.rpc.call("setup", { proxy: "builtin", httpPort, httpsPort: await freePort(), address: "127.0.0.1" });
	});

	afterAll(async () => {
		await stopAgent(home, open(), bridges);
		if (caddyPort) {
			const setup = { proxy: "caddy" as const, httpPort: caddyPort, httpsPort: 443, address: "127.0.0.1" };
			await createProxyDriver("caddy", { setup, dir: join(home, "proxy"), log: () => {} }).stop();
		}
		await rm(work, { recursive: true, force: true });
	});

	test("detect prints what the agent would do for each template", () => {
		const detect = (dir: string) => JSON.parse(execFileSync(process.execPath, [agentPath, "detect", dir], { encoding: "utf8" }));
		assert.deepEqual(detect(vite), { framework: "vite", packageManager: "npm", install: "npm install", build: "npm run build", processes: {}, static: { dir: "dist", spa: true } });
		assert.deepEqual(detect(express), { framework: "express", packageManager: "npm", install: "npm install", build: null, processes: { web: "node ./bin/www" }, static: null });
	});

	test("the agent idles in bounded memory", () => {
		const rss = rssBytes(daemonPid());
		console.log(`agent RSS idle: ${(rss / 1024 / 1024).toFixed(1)} MB`);
		assert.ok(rss < 120 * 1024 * 1024, `idle RSS ${rss}`);
	});

	test("express-generator's app deploys and answers through the proxy", async () => {
		const record = await deploy(express, expSpec());
		assert.equal(record.status, "live");
		assert.equal(record.framework, "express");
		assert.deepEqual(record.cache, { install: "miss", build: "skipped" });
		const res = await get(httpPort, "exp.localhost");
		assert.equal(res.status, 200);
		assert.match(res.body, /Welcome to Express/);
	});

	test("nothing changed: the live record at once, unchanged, the same processes", async () => {
		const before = await pids("exp");
		const events: DeployEvent[] = [];
		const live = (await bridge.rpc.call("deployments.list", { app: "exp", limit: 1 }))[0]!;
		const record = await deploy(express, expSpec(), {}, events);
		assert.equal(record.unchanged, true);
		assert.equal(record.id, live.id);
		assert.deepEqual(await pids("exp"), before);
		assert.ok(!events.some((e) => e.type === "step" && (e.step === "install" || e.step === "start")));
	});

	test("a source change without a dependency change: no install", async () => {
		const record = await deploy(express, expSpec(), { "public/index.html": "<h1>version two</h1>\n" });
		assert.deepEqual(record.cache, { install: "hit", build: "skipped" });
		assert.match((await get(httpPort, "exp.localhost")).body, /version two/);
	});

	test("a dependency manifest change: install again", async () => {
		const pkg = JSON.parse(readFileSync(join(express, "package.json"), "utf8"));
		const record = await deploy(express, expSpec(), { "package.json": JSON.stringify({ ...pkg, version: "0.0.1" }, null, 2) });
		assert.deepEqual(record.cache, { install: "miss", build: "skipped" });
	});

	test("the Vite app is built and its files served, with SPA fallback, compression and cache headers", async () => {
		const record = await deploy(vite, spaSpec());
		assert.equal(record.framework, "vite");
		assert.deepEqual(record.cache, { install: "miss", build: "miss" });
		const index = await get(httpPort, "spa.localhost");
		assert.equal(index.status, 200);
		assert.equal(index.headers["cache-control"], "no-cache");
		const asset = /\/assets\/index-[\w-]+\.js/.exec(index.body)?.[0];
		assert.ok(asset, index.body);
		const js = await get(httpPort, "spa.localhost", asset, { "accept-encoding": "gzip" });
		assert.equal(js.status, 200);
		assert.equal(js.headers["cache-control"], "public, max-age=31536000, immutable");
		assert.equal(js.headers["content-encoding"], "gzip");
		const deep = await get(httpPort, "spa.localhost", "/some/client/route");
		assert.equal(deep.status, 200);
		assert.equal(deep.body, index.body);
	});

	test("a Vite source change: build again, no install; the old source again: both from cache", async () => {
		const app = readFileSync(join(vite, "src", "App.tsx"), "utf8");
		const changed = await deploy(vite, spaSpec(), { "src/App.tsx": app.replace("Get started", "Get going") });
		assert.deepEqual(changed.cache, { install: "hit", build: "miss" });
		const again = await deploy(vite, spaSpec());
		assert.deepEqual(again.cache, { install: "hit", build: "hit" });
		assert.equal((await get(httpPort, "spa.localhost")).status, 200);
	});

	test("a failing build names its step and exit code; the old release keeps serving", async () => {
		const error = await rejection(deploy(express, expSpec({ build: `node -e "console.log('boom at line 1'); process.exit(3)"` })), "BUILD_FAILED");
		assert.match(error.message, /build step failed.*code 3/);
		assert.ok(error.details?.includes("boom at line 1"));
		assert.ok(error.hint);
		assert.match((await get(httpPort, "exp.localhost")).body, /Express|version two/);
		const record = (await bridge.rpc.call("deployments.list", { app: "exp", limit: 1 }))[0]!;
		assert.equal(record.status, "failed");
	});

	test("a build past its timeout is killed with its process tree: BUILD_TIMEOUT", async () => {
		await rejection(deploy(express, expSpec({ build: "sleep 3599", buildTimeoutSeconds: 10 })), "BUILD_TIMEOUT");
		assert.deepEqual(processesWith("3599"), []);
		assert.equal((await get(httpPort, "exp.localhost")).status, 200);
	});

	test("cancel kills the running build; the record says interrupted", async () => {
		const events: DeployEvent[] = [];
		let started: () => void = () => undefined;
		const building = new Promise<void>((resolve) => (started = resolve));
		const snap = snapshot(express);
		await upload(bridge.rpc, snap);
		const running = bridge.rpc.call(
			"deploy",
			{ app: expSpec({ build: "sleep 3598" }), manifest: snap.manifest, commit: null },
			{
				onEvent: (e) => {
					events.push(e);
					if (e.type === "step" && e.step === "build" && e.status === "started") started();
				},
			},
		);
		await building;
		const other = open();
		const { cancelled } = await other.rpc.call("cancel", { app: "exp" });
		assert.ok(cancelled);
		await rejection(running, "CANCELLED");
		assert.deepEqual(processesWith("3598"), []);
		const record = (await bridge.rpc.call("deployments.list", { app: "exp", limit: 1 }))[0]!;
		assert.equal(record.status, "interrupted");
		assert.equal((await get(httpPort, "exp.localhost")).status, 200);
	});

	test("a build printing 200k lines: it deploys, the agent's memory stays bounded, the log is capped", async () => {
		const events: DeployEvent[] = [];
		const build = `node -e "for (let i = 0; i < 200000; i++) console.log('line ' + i + ' ' + 'x'.repeat(80))"`;
		const record = await deploy(express, expSpec({ build }), {}, events);
		assert.equal(record.status, "live");
		assert.ok(events.filter((e) => e.type === "log").length <= 10_100);
		const log = join(home, "apps", "exp", "deployments", `${record.id}.log`);
		assert.ok(statSync(log).size <= 17 * 1024 * 1024);
		const rss = rssBytes(daemonPid());
		console.log(`agent RSS after a 200k-line build: ${(rss / 1024 / 1024).toFixed(1)} MB`);
		assert.ok(rss < 250 * 1024 * 1024, `RSS ${rss}`);
	});

	test("cache.clear empties the caches", async () => {
		const { entries, bytes } = await bridge.rpc.call("cache.clear", { app: "exp" });
		assert.ok(entries > 0 && bytes > 0);
		// Objects unused by any kept release went with the first clear (issue 13, item 11): none the second time.
		assert.deepEqual(await bridge.rpc.call("cache.clear", { app: "exp" }), { entries: 0, bytes: 0, objects: { objects: 0, bytes: 0 } });
	});

	test("with Caddy the Vite app's files are served by Caddy's file_server, no process of ours", async () => {
		caddyPort = await freePort();
		await bridge.rpc.call("setup", { proxy: "caddy", httpPort: caddyPort, httpsPort: await freePort(), address: "127.0.0.1" });
		const record = await deploy(vite, spaSpec({ env: { CHANGED: "1" } }));
		assert.equal(record.status, "live");
		// The previous release's static server may still drain; the new release has no process,
		// only the row that says Caddy serves it (issue 14, item 9).
		assert.deepEqual(
			(await bridge.rpc.call("ps", { app: "spa" })).filter((i) => i.deploymentId === record.id).map((i) => ({ pid: i.pid, by: i.served?.by })),
			[{ pid: null, by: "caddy" }],
		);
		const host = "spa.127.0.0.1.sslip.io";
		const index = await get(caddyPort, host);
		assert.equal(index.status, 200);
		assert.match(String(index.headers.server), /Caddy/);
		const asset = /\/assets\/index-[\w-]+\.js/.exec(index.body)?.[0];
		assert.ok(asset, index.body);
		const js = await get(caddyPort, host, asset, { "accept-encoding": "gzip" });
		assert.equal(js.headers["cache-control"], "public, max-age=31536000, immutable");
		assert.equal(js.headers["content-encoding"], "gzip");
		const deep = await get(caddyPort, host, "/deep/link");
		assert.equal(deep.status, 200);
		assert.equal(deep.body, index.body);
		assert.equal(deep.headers["cache-control"], "no-cache");
	});
});
