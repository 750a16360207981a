// Issue 15, item 2: every front checks a call's input in one place, the contract
// (core/api/contract.ts). The built CLI and `deploy ui`'s HTTP api are given the same
// input over the contract's limits (an app name of 300 characters, a server name of
// 201) and must answer with the same BAD_ARGUMENT, naming the field, before anything
// is read or reached. Nothing here needs a server: the refusal comes first.
import assert from "node:assert/strict";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, test } from "vitest";
import { providers } from "../../cli/providers.js";
import type { ApiMethod } from "../../core/api/contract.js";
import { createApi } from "../../core/api/index.js";
import type { ErrorInfo } from "../../core/protocol/index.js";
import { startUiServer, type UiServer } from "../../core/transport/http-server.js";
import { runCli } from "../helpers/cli.js";
import { callApi } from "../helpers/http-client.js";

const longApp = "a".repeat(300);
const longServer = "s".repeat(201);

/** A command as a user types it, and the api call it makes: the same method and the same bad field over HTTP. */
const cases: { args: string[]; method: ApiMethod; input: Record<string, unknown>; field: "app" | "server" | "name" }[] = [
	{ args: ["--server", longServer], method: "deployments.create", input: { server: longServer }, field: "server" },
	{ args: ["--app", longApp], method: "deployments.create", input: { app: longApp }, field: "app" },
	{ args: ["ls", "--server", longServer], method: "deployments.list", input: { server: longServer }, field: "server" },
	{ args: ["rollback", "--app", longApp], method: "deployments.rollback", input: { app: longApp }, field: "app" },
	{ args: ["cancel", "--server", longServer], method: "deployments.cancel", input: { server: longServer }, field: "server" },
	{ args: ["rm", "d0m9x2k4abcd", "--server", longServer], method: "releases.remove", input: { id: "d0m9x2k4abcd", server: longServer }, field: "server" },
	{ args: ["ps", "--server", longServer], method: "instances.list", input: { server: longServer }, field: "server" },
	{ args: ["ps", "--app", longApp], method: "instances.list", input: { app: longApp }, field: "app" },
	{ args: ["scale", "web=2", "--server", longServer], method: "instances.scale", input: { processes: { web: 2 }, server: longServer }, field: "server" },
	{ args: ["cache", "clear", "--server", longServer], method: "cache.clear", input: { server: longServer }, field: "server" },
	{ args: ["logs", "--server", longServer], method: "logs.read", input: { server: longServer }, field: "server" },
	{ args: ["logs", "--build", "--app", longApp], method: "logs.build", input: { app: longApp }, field: "app" },
	{ args: ["metrics", "--server", longServer], method: "metrics.get", input: { server: longServer }, field: "server" },
	{ args: ["alerts", "--app", longApp], method: "metrics.alerts", input: { app: longApp }, field: "app" },
	{ args: ["autoscale", "status", "--server", longServer], method: "autoscale.status", input: { server: longServer }, field: "server" },
	{ args: ["autoscale", "log", "--app", longApp], method: "autoscale.log", input: { app: longApp }, field: "app" },
	{ args: ["domains", "ls", "--server", longServer], method: "domains.list", input: { server: longServer }, field: "server" },
	{ args: ["domains", "add", "shop.example.test", "--app", longApp], method: "domains.add", input: { domain: "shop.example.test", app: longApp }, field: "app" },
	{ args: ["env", "ls", "--server", longServer], method: "env.list", input: { server: longServer }, field: "server" },
	{ args: ["env", "set", "GREETING=hi", "--app", longApp], method: "env.set", input: { vars: { GREETING: "hi" }, app: longApp }, field: "app" },
	{ args: ["env", "unset", "GREETING", "--server", longServer], method: "env.unset", input: { keys: ["GREETING"], server: longServer }, field: "server" },
	{ args: ["doctor", "--server", longServer], method: "doctor.run", input: { server: longServer }, field: "server" },
	{ args: ["servers", "status", longServer], method: "servers.status", input: { name: longServer }, field: "name" },
	{ args: ["servers", "rm", longServer], method: "servers.remove", input: { name: longServer }, field: "name" },
];

let home: string;
let folder: string;
let ui: UiServer;

beforeAll(async () => {
	home = await mkdtemp(join(tmpdir(), "deploy-boundary-home-"));
	folder = await mkdtemp(join(tmpdir(), "deploy-boundary-app-"));
	process.env.DEPLOY_HOME = home;
	// What `deploy ui` serves: the same api the CLI builds, over HTTP.
	ui = await startUiServer({ api: createApi(providers), staticDir: null });
});

afterAll(async () => {
	await ui?.close();
	await rm(home, { recursive: true, force: true });
	await rm(folder, { recursive: true, force: true });
	delete process.env.DEPLOY_HOME;
});

describe("one check of the input, whatever the front", () => {
	for (const { args, method, input, field } of cases) {
		test(`deploy ${args.map((arg) => (arg.length > 40 ? `<${arg.length} chars>` : arg)).join(" ")} answers as ${method} over HTTP`, async () => {
			const cli = await runCli([...args, "--json"], { cwd: folder, env: { DEPLOY_HOME: home } });
			assert.equal(cli.code, 2, cli.stdout + cli.stderr);
			const fromCli = (cli.last as { error: ErrorInfo }).error;
			assert.equal(fromCli.code, "BAD_ARGUMENT");
			assert.match(fromCli.message, new RegExp(`^${method.replace(".", "\\.")}: ${field}: `), "the message names the method and the field");

			const http = await callApi(`http://127.0.0.1:${ui.port}`, ui.token, method, input);
			assert.equal(http.status, 400);
			assert.deepEqual(fromCli, http.body.error, "the CLI and HTTP answer alike");
		});
	}

	test("a name over the limit is refused whole: nothing was written to this machine", async () => {
		// No store was opened and no session started: DEPLOY_HOME is as the test made it.
		assert.deepEqual(await readdir(home), []);
	});

	test("a person still reads what is wrong: the CLI prints the message and the method's hint", async () => {
		const run = await runCli(["ps", "--server", longServer], { cwd: folder, env: { DEPLOY_HOME: home } });
		assert.equal(run.code, 2);
		assert.match(run.stderr, /instances\.list: server: must be at most 200 characters/);
		assert.match(run.stderr, /hint {2}`deploy ps` shows the app's processes/);
	});
});
