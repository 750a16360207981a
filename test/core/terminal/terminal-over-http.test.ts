// The terminal over `deploy ui`: a WebSocket at /api/terminal behind the same rules as
// the api (token, Host, Origin), and a real shell behind it: a local pty here (the
// server shell through the real sshd is driven by clicks in test/ui).
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, test } from "vitest";
import WebSocket from "ws";
import { providers } from "../../../cli/providers.js";
import { createApi } from "../../../core/api/index.js";
import { createTerminals } from "../../../core/terminal/index.js";
import { startUiServer, type UiServer } from "../../../core/transport/http-server.js";
import { callApi } from "../../helpers/http-client.js";

let home: string;
let app: string;
let server: UiServer;

beforeAll(async () => {
	home = await mkdtemp(join(tmpdir(), "deploy-terminal-home-"));
	app = await mkdtemp(join(tmpdir(), "deploy-terminal-app-"));
	process.env.DEPLOY_HOME = home;
	const terminals = createTerminals({ ssh: () => import("../../../providers/ssh/index.js") });
	server = await startUiServer({ api: createApi(providers), staticDir: null, terminals });
});

afterAll(async () => {
	await server?.close();
	await rm(home, { recursive: true, force: true });
	await rm(app, { recursive: true, force: true });
	delete process.env.DEPLOY_HOME;
});

/** The status of a refused upgrade, or "open". */
function tryConnect(protocols: string[], headers: Record<string, string> = {}): Promise<number | "open"> {
	return new Promise((resolve) => {
		const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api/terminal`, protocols, { headers });
		ws.on("open", () => {
			ws.close();
			resolve("open");
		});
		ws.on("unexpected-response", (_request, response) => resolve(response.statusCode ?? 0));
		ws.on("error", () => undefined);
	});
}

describe("the rules", () => {
	test("refused without the token (401), with a wrong one (403), from another origin (403) or host (421)", async () => {
		assert.equal(await tryConnect(["deploy.terminal.v1"]), 401);
		assert.equal(await tryConnect(["deploy.terminal.v1", "token.not-the-token"]), 403);
		assert.equal(await tryConnect(["deploy.terminal.v1", `token.${server.token}`], { origin: "http://evil.example" }), 403);
		assert.equal(await tryConnect(["deploy.terminal.v1", `token.${server.token}`], { host: `evil.example:${server.port}` }), 421);
		assert.equal(await tryConnect(["deploy.terminal.v1", `token.${server.token}`], { origin: `http://127.0.0.1:${server.port}` }), "open");
	});
});

describe("a shell on this machine", () => {
	test("runs what is typed, follows a resize, and ends when the socket closes", async () => {
		const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api/terminal`, ["deploy.terminal.v1", `token.${server.token}`]);
		let output = "";
		const controls: { type: string; code?: number | null }[] = [];
		const waiters: (() => void)[] = [];
		ws.on("message", (data, isBinary) => {
			if (isBinary) output += data.toString();
			else controls.push(JSON.parse(data.toString()));
			for (const wake of waiters.splice(0)) wake();
		});
		const until = async (condition: () => boolean) => {
			while (!condition()) await new Promise<void>((resolve) => waiters.push(resolve));
		};
		await new Promise((resolve) => ws.once("open", resolve));
		ws.send(JSON.stringify({ type: "open", target: { kind: "local" }, cols: 80, rows: 24 }));
		await until(() => controls.some((message) => message.type === "opened"));
		ws.send(Buffer.from("echo marker-$((6*7))\n"));
		await until(() => output.includes("marker-42"));
		ws.send(JSON.stringify({ type: "resize", cols: 101, rows: 33 }));
		ws.send(Buffer.from("stty size\n"));
		await until(() => output.includes("33 101"));
		ws.send(Buffer.from("exit 3\n"));
		await until(() => controls.some((message) => message.type === "exit"));
		assert.deepEqual(controls.at(-1), { type: "exit", code: 3 });
		await new Promise((resolve) => (ws.readyState === ws.CLOSED ? resolve(null) : ws.once("close", resolve)));
	});

	test("a bad open message ends the socket with BAD_REQUEST; an unknown server with SERVER_UNKNOWN", async () => {
		for (const [message, code] of [
			[{ type: "open", target: { kind: "mainframe" }, cols: 80, rows: 24 }, "BAD_REQUEST"],
			[{ type: "open", target: { kind: "server", server: "nope" }, cols: 80, rows: 24 }, "SERVER_UNKNOWN"],
		] as const) {
			const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api/terminal`, ["deploy.terminal.v1", `token.${server.token}`]);
			await new Promise((resolve) => ws.once("open", resolve));
			const answer = new Promise<{ type: string; error?: { code: string } }>((resolve) => ws.once("message", (data) => resolve(JSON.parse(data.toString()))));
			ws.send(JSON.stringify(message));
			const exit = await answer;
			assert.equal(exit.type, "exit");
			assert.equal(exit.error?.code, code);
			await new Promise((resolve) => ws.once("close", resolve));
		}
	});
});

describe("projects.config and projects.revealEnv", () => {
	test("env values are masked, length hidden; one is revealed on demand; an unknown key is a 400", async () => {
		await writeFile(join(app, "deploy.yaml"), 'app: configured\nenv:\n  SHORT: "a"\n  LONG_SECRET: "a-much-longer-secret-value"\ndomains: [configured.example.com]\n');
		await writeFile(join(app, "server.js"), "");
		const call = (method: string, input?: unknown) => callApi(`http://127.0.0.1:${server.port}`, server.token, method, input);
		assert.equal((await call("projects.link", { dir: app })).status, 200);
		const { body } = await call("projects.config", { name: "configured" });
		const config = body.result as { env: { key: string; value: string }[]; domains: string[]; generatedUrl: string | null; server: string | null };
		assert.deepEqual(config.env, [
			{ key: "LONG_SECRET", value: "••••••" },
			{ key: "SHORT", value: "••••••" },
		]);
		assert.doesNotMatch(JSON.stringify(body), /a-much-longer-secret-value/);
		assert.deepEqual(config.domains, ["configured.example.com"]);
		// No server yet: no generated URL.
		assert.equal(config.generatedUrl, null);
		assert.deepEqual((await call("projects.revealEnv", { name: "configured", key: "LONG_SECRET" })).body, { result: { key: "LONG_SECRET", value: "a-much-longer-secret-value" } });
		const unknown = await call("projects.revealEnv", { name: "configured", key: "NOPE" });
		assert.equal(unknown.status, 400);
		assert.equal(unknown.body.error?.code, "ENV_UNKNOWN");
		assert.equal((await call("projects.config", { name: "unlinked" })).body.error?.code, "APP_UNKNOWN");
	});
});
