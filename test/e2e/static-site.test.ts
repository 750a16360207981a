// Issue 14, item 9: a static site in `ps`, `logs` and `scale`. Caddy serves its files
// itself, with no process of the app. The built CLI against a real sshd, agent and
// Caddy: `ps` shows the site as served by Caddy with its request count, `logs` shows
// its requests from Caddy's access log (and follows them), `scale` is refused and
// starts nothing.
import assert from "node:assert/strict";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, test } from "vitest";
import { httpGet } from "../helpers/net.js";
import { startCli } from "./background-cli.js";
import { startTestServer, type TestServer } from "./server.js";

const host = "site.127.0.0.1.sslip.io";

interface PsRow {
	app: string;
	process: string;
	status: string;
	pid: number | null;
	port: number;
	served?: { by: string; requests: number; windowSeconds: number };
}

interface LogEvent {
	type: string;
	line: string;
	time?: string;
	instance?: string;
}

describe("a static site Caddy serves, in ps, logs and scale", () => {
	let server: TestServer;

	beforeAll(async () => {
		server = await startTestServer("hello");
		// The hello example turned into a plain static site: an index.html and an about page.
		await rm(join(server.appDir, "server.js"));
		await rm(join(server.appDir, "package.json"));
		await mkdir(join(server.appDir, "public"));
		await writeFile(join(server.appDir, "public", "index.html"), "<h1>site</h1>\n");
		await writeFile(join(server.appDir, "public", "about.html"), "<h1>about</h1>\n");
		await writeFile(join(server.appDir, "deploy.yaml"), "app: site\nstatic:\n  dir: public\n");
		const deploy = await server.cli(["--json"]);
		assert.equal(deploy.code, 0, deploy.stderr);
	});

	afterAll(async () => {
		await server?.stop();
	});

	test("ps shows the site as served by Caddy, with the requests it answered", async () => {
		for (const path of ["/", "/about.html", "/missing"]) await httpGet(server.httpPort, host, path);
		assert.equal((await httpGet(server.httpPort, host, "/about.html")).body, "<h1>about</h1>\n");

		const rows = JSON.parse((await server.cli(["ps", "--json"])).stdout) as PsRow[];
		assert.equal(rows.length, 1, JSON.stringify(rows));
		assert.deepEqual(
			{ app: rows[0]!.app, process: rows[0]!.process, pid: rows[0]!.pid, port: rows[0]!.port, served: rows[0]!.served },
			{ app: "site", process: "web", pid: null, port: server.httpPort, served: { by: "caddy", requests: 4, windowSeconds: 3600 } },
		);
		const human = await server.cli(["ps"]);
		assert.equal(human.code, 0, human.stderr);
		assert.doesNotMatch(human.stdout, /No instances run/);
		assert.match(human.stdout, /web\s+static\s+-\s+\d+\s.*served by caddy, 4 requests \(last hour\)/);
	});

	test("logs shows the site's requests from Caddy's access log: method, path, status, duration; -f follows new ones", async () => {
		const run = await server.cli(["logs", "--json"]);
		assert.equal(run.code, 0, run.stderr);
		const lines = (run.lines as unknown as LogEvent[]).filter((event) => event.type === "log");
		assert.deepEqual(
			lines.map((event) => event.line.replace(/ [\d.]+ ms$/, " <ms> ms")),
			["GET / 200 <ms> ms", "GET /about.html 200 <ms> ms", "GET /missing 404 <ms> ms", "GET /about.html 200 <ms> ms"],
		);
		assert.ok(lines.every((event) => event.instance === "caddy" && event.time && !Number.isNaN(Date.parse(event.time))), JSON.stringify(lines));
		const human = await server.cli(["logs", "--grep", "missing"]);
		assert.match(human.stdout.trim(), /^\S+Z caddy GET \/missing 404 [\d.]+ ms$/);

		const follow = startCli(["logs", "-f", "-n", "0"], { cwd: server.appDir, env: server.env });
		let shown = false;
		const seen = follow.waitFor(/GET \/followed 404/).then(() => {
			shown = true;
		});
		// Requests until one shows: the follow may not be reading the log yet when the first is made.
		for (let i = 0; i < 40 && !shown; i++) {
			await httpGet(server.httpPort, host, "/followed");
			await sleep(250);
		}
		await seen;
		follow.kill("SIGINT");
		const followed = await follow.done;
		assert.match(followed.stdout, /^\S+Z caddy GET \/followed 404 [\d.]+ ms$/m);
	});

	test("scale is refused with the reason, and starts nothing", async () => {
		const run = await server.cli(["scale", "web=2"]);
		assert.equal(run.code, 1, run.stdout + run.stderr);
		assert.match(run.stderr, /site is a static site: caddy serves its files itself, so its web process has no instances to scale\./);
		assert.match(run.stderr, /hint.*processes\.web\.command/);
		const json = await server.cli(["scale", "web=2", "--json"]);
		assert.equal((json.last as { error?: { code: string } }).error?.code, "STATIC_SITE");
		const rows = JSON.parse((await server.cli(["ps", "--json"])).stdout) as PsRow[];
		assert.deepEqual(
			rows.map((row) => [row.process, row.pid, row.served?.by]),
			[["web", null, "caddy"]],
		);
	});
});
