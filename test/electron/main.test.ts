// The desktop bridge with the `electron` module stubbed (test/electron/electron-stub.ts, by vi.mock):
// no Electron binary can be downloaded or run on this machine. main.ts and preload.ts
// run as they are; the stub records what they ask of Electron and carries IPC
// in-process, so the calls below go preload -> handler -> the real api and back.
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, test, vi } from "vitest";
import { apiMethodNames, type DeployBridge } from "../../core/api/contract.js";
import { createApi } from "../../core/api/index.js";
import type { DeployEvent } from "../../core/protocol/index.js";
import type { TerminalExit } from "../../core/terminal/contract.js";
import { CONTENT_SECURITY_POLICY } from "../../core/transport/http-security.js";
import { providers } from "../../electron/providers.js";
import { repoRoot } from "../helpers/cli.js";
import { freePort } from "../helpers/net.js";

// The `electron` the app imports is the stub (vitest hoists this above the imports).
vi.mock("electron", () => import("./electron-stub.js"));
type Stub = typeof import("./electron-stub.js");
let electron: Stub;
let bridge: DeployBridge;
let home: string;

beforeAll(async () => {
	home = await mkdtemp(join(tmpdir(), "deploy-electron-home-"));
	process.env.DEPLOY_HOME = home;
	electron = (await import("electron" as string)) as Stub;
	await import("../../electron/main.js");
	await import("../../electron/preload.js");
	// main.ts opens its window once "ready": let that promise run.
	await new Promise((resolve) => setImmediate(resolve));
	bridge = electron.recorded.exposed.get("deployBridge") as DeployBridge;
});

afterAll(async () => {
	await rm(home, { recursive: true, force: true });
	delete process.env.DEPLOY_HOME;
});

describe("the window", () => {
	test("is isolated, sandboxed, without Node, and loads the renderer from app://", () => {
		const [window] = electron.recorded.windows;
		assert.ok(window);
		assert.equal(electron.recorded.windows.length, 1);
		const preferences = window.options.webPreferences as Record<string, unknown>;
		assert.equal(preferences.contextIsolation, true);
		assert.equal(preferences.nodeIntegration, false);
		assert.equal(preferences.sandbox, true);
		assert.equal(preferences.webSecurity, true);
		assert.equal(preferences.webviewTag, false);
		assert.match(String(preferences.preload), /preload[/\\]index\.cjs$/);
		assert.equal(electron.recorded.sandboxEnabled, true);
		assert.equal(window.webContents.loadedUrl, "app://renderer/index.html");
	});

	test("navigation is locked: other origins are prevented, links open in the user's browser only", () => {
		const contents = electron.recorded.windows[0]!.webContents;
		const navigate = (url: string) => {
			let prevented = false;
			contents.emit("will-navigate", { preventDefault: () => (prevented = true) }, url);
			return prevented;
		};
		assert.equal(navigate("https://attacker.example/"), true);
		assert.equal(navigate("file:///etc/passwd"), true);
		assert.equal(navigate("app://renderer/index.html"), false);
		assert.deepEqual(contents.openHandler?.({ url: "https://docs.example/" }), { action: "deny" });
		assert.deepEqual(contents.openHandler?.({ url: "file:///etc/passwd" }), { action: "deny" });
		assert.deepEqual(electron.recorded.opened, ["https://docs.example/"]);
	});

	test("pages come with the CSP, nothing outside the renderer folder is served, no remote content loads", async () => {
		const serve = electron.recorded.protocolHandlers.get("app")!;
		const page = await serve({ url: "app://renderer/index.html" } as Request);
		assert.equal(page.status, 200);
		assert.equal(page.headers.get("content-security-policy"), CONTENT_SECURITY_POLICY);
		assert.equal((await serve({ url: "app://renderer/%2e%2e/package.json" } as Request)).status, 404);
		const blocked = (url: string) => {
			let cancel: boolean | undefined;
			electron.recorded.beforeRequest?.({ url }, (answer) => (cancel = answer.cancel));
			return cancel;
		};
		assert.equal(blocked("https://cdn.example/lib.js"), true);
		assert.equal(blocked("http://127.0.0.1:8080/"), true);
		assert.equal(blocked("app://renderer/assets/app.js"), false);
	});
});

describe("the bridge", () => {
	test("the preload exposes the contract's methods and nothing else; the main process has one handler", () => {
		assert.deepEqual([...electron.recorded.exposed.keys()], ["deployBridge"]);
		assert.deepEqual(Object.keys(bridge).sort(), ["call", "cancel", "methods", "pathForFile", "terminal"]);
		assert.deepEqual(Object.keys(bridge.terminal).sort(), ["close", "open", "resize", "write"]);
		assert.deepEqual([...bridge.methods], apiMethodNames);
		assert.deepEqual([...electron.recorded.handles.keys()], ["api:call", "terminal:open"]);
		assert.deepEqual([...electron.recorded.listeners.keys()], ["api:cancel", "terminal:data", "terminal:resize", "terminal:close"]);
	});

	test("every method of the contract is reachable, and validates its input", async () => {
		for (const method of apiMethodNames) {
			const answer = await bridge.call(method, 42 as never);
			assert.ok("error" in answer, method);
			assert.equal(answer.error.code, "BAD_ARGUMENT", method);
		}
	});

	test("a method not in the contract is refused, by the preload and by the main process", async () => {
		const viaPreload = await bridge.call("servers.format" as never, {} as never);
		assert.deepEqual(viaPreload, { error: { code: "UNKNOWN_METHOD", message: 'There is no api method "servers.format".' } });
		for (const method of ["servers.format", "constructor", "__proto__", 42]) {
			const direct = (await electron.ipcRenderer.invoke("api:call", "c1", method, {})) as { error: { code: string } };
			assert.equal(direct.error.code, "UNKNOWN_METHOD", String(method));
		}
	});

	test("a page that is not the app's may not call", async () => {
		electron.page.url = "https://attacker.example/";
		try {
			const answer = (await electron.ipcRenderer.invoke("api:call", "c2", "servers.list", undefined)) as { error: { code: string } };
			assert.equal(answer.error.code, "FORBIDDEN");
		} finally {
			electron.page.url = "app://renderer/index.html";
		}
	});

	test("results and errors cross as plain data: {result} or {error: {code, message, hint}}", async () => {
		assert.deepEqual(await bridge.call("servers.list", undefined), { result: [] });
		const dir = join(repoRoot, "examples/hello");
		assert.deepEqual(await bridge.call("projects.link", { dir }), { result: { name: "hello", dir, server: null } });
		const missing = await bridge.call("servers.remove", { name: "nope" });
		assert.ok("error" in missing);
		assert.equal(missing.error.code, "SERVER_UNKNOWN");
		assert.equal(missing.error.message, 'There is no server named "nope".');
		assert.ok(missing.error.hint);
	});

	test("a stream method's events reach onEvent; a failed deploy ends with a notification", async () => {
		const events: DeployEvent[] = [];
		// Nothing listens on this port: the connect step starts, then fails.
		const port = await freePort();
		const answer = await bridge.call("servers.add", { name: "gone", destination: "root@127.0.0.1", port, acceptNewHostKey: true }, { onEvent: (e) => events.push(e) });
		assert.ok("error" in answer);
		assert.ok(events.some((e) => e.type === "step" && e.step === "connect"), JSON.stringify(events));

		const failed = await bridge.call("deployments.create", { dir: home });
		assert.ok("error" in failed);
		assert.deepEqual(electron.recorded.notifications.at(-1), { title: "Deploy failed", body: failed.error.message });
	});

	test("a dropped folder's path comes from webUtils.getPathForFile", () => {
		assert.equal(bridge.pathForFile({ path: "/home/me/site" }), "/home/me/site");
	});
});

describe("the terminal channels", () => {
	/** Output of one shell, and a way to wait for what it should contain. */
	function screen() {
		let text = "";
		const waiters: (() => void)[] = [];
		let exit: TerminalExit | undefined;
		return {
			handlers: {
				onData: (data: Uint8Array) => {
					text += Buffer.from(data).toString("utf8");
					for (const wake of waiters.splice(0)) wake();
				},
				onExit: (info: TerminalExit) => {
					exit = info;
					for (const wake of waiters.splice(0)) wake();
				},
			},
			until: async (condition: (text: string, exit: TerminalExit | undefined) => boolean) => {
				while (!condition(text, exit)) await new Promise<void>((resolve) => waiters.push(resolve));
			},
		};
	}

	test("open, data both ways, resize and close reach a real shell on this machine", async () => {
		const shell = screen();
		const answer = await bridge.terminal.open({ target: { kind: "local" }, cols: 80, rows: 24 }, shell.handlers);
		assert.ok("result" in answer, JSON.stringify(answer));
		const { id } = answer.result;
		bridge.terminal.write(id, "echo bridge-$((6*7))\n");
		await shell.until((text) => text.includes("bridge-42"));
		bridge.terminal.resize(id, { cols: 90, rows: 31 });
		bridge.terminal.write(id, "stty size\n");
		await shell.until((text) => text.includes("31 90"));
		// Closing the tab ends the shell: the page hears it on terminal:close.
		bridge.terminal.close(id);
		await shell.until((_text, exit) => exit !== undefined);
	});

	test("a bad request and an unknown server come back as error envelopes", async () => {
		const bad = await bridge.terminal.open({ target: { kind: "mainframe" }, cols: 0, rows: 24 } as never, screen().handlers);
		assert.ok("error" in bad);
		assert.equal(bad.error.code, "BAD_ARGUMENT");
		const unknown = await bridge.terminal.open({ target: { kind: "server", server: "nope" }, cols: 80, rows: 24 }, screen().handlers);
		assert.ok("error" in unknown);
		assert.equal(unknown.error.code, "SERVER_UNKNOWN");
	});

	test("a page that is not the app's may not open a terminal", async () => {
		electron.page.url = "https://attacker.example/";
		try {
			const answer = (await electron.ipcRenderer.invoke("terminal:open", { target: { kind: "local" }, cols: 80, rows: 24 })) as { error: { code: string } };
			assert.equal(answer.error.code, "FORBIDDEN");
		} finally {
			electron.page.url = "app://renderer/index.html";
		}
	});
});

describe("the tray", () => {
	test("shows the last deploy's outcome", () => {
		const tray = electron.recorded.trays[0];
		assert.ok(tray);
		// The failed deploy above ended last.
		assert.match(tray.tooltip, /^Deploy: Deploy failed: /);
	});
});

describe("cancelling", () => {
	test("cancel(callId) aborts the signal the api method was given", async () => {
		const { registerApiHandlers } = await import("../../electron/ipc.js");
		const api = createApi(providers);
		// The real method runs once the signal is seen: cancel is what lets it start.
		let aborted: AbortSignal | undefined;
		const list = api.servers.list;
		api.servers.list = async () => list();
		const status = api.servers.status;
		api.servers.status = (input, options) =>
			new Promise((resolve, reject) => {
				aborted = options?.signal;
				options?.signal?.addEventListener("abort", () => status(input, options).then(resolve, reject), { once: true });
			});
		const handles = new Map<string, (...args: unknown[]) => unknown>();
		const listeners = new Map<string, (...args: unknown[]) => unknown>();
		registerApiHandlers({ handle: (c: string, h: never) => handles.set(c, h), on: (c: string, h: never) => listeners.set(c, h) } as never, api, { isTrustedSender: () => true });
		const sender = Object.assign(new (await import("node:events")).EventEmitter(), { id: 7, isDestroyed: () => false, send: () => {} });
		const call = handles.get("api:call")!({ sender }, "call-1", "servers.status", { name: "nope" }) as Promise<{ error?: { code: string } }>;
		await new Promise((resolve) => setImmediate(resolve));
		assert.equal(aborted?.aborted, false);
		listeners.get("api:cancel")!({ sender }, "call-1");
		assert.equal(aborted?.aborted, true);
		assert.equal((await call).error?.code, "SERVER_UNKNOWN");
	});
});
