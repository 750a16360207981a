// Issue 13, item 3, where the agent is not root (a login without sudo): it cannot make a
// user per app, so its apps run as the agent's own user, still with no_new_privs and
// HOST=127.0.0.1, and doctor says so. The real bundle run as the unprivileged `nobody`,
// over its real RPC, deploying a real app behind the builtin proxy.
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { chmod, chown, copyFile, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, test } from "vitest";
import { RpcClient } from "../../../core/rpc/client.js";
import { stopAgentHome } from "../../fixtures/sshd.js";
import { freePort, httpGet, installAgent, rejectsWithCode, snapshot, upload } from "../../helpers/agent-harness.js";

const NOBODY = 65534;
const SERVER = `require("node:http").createServer((req, res) => res.end("shared\\n")).listen(Number(process.env.PORT), process.env.HOST);\n`;

describe("an agent that is not root: apps run as its user, with no_new_privs and HOST", () => {
	let scratch: string;
	let home: string;
	let app: string;
	let bridge: ChildProcess | undefined;
	let rpc: RpcClient;
	let httpPort: number;

	beforeAll(async () => {
		scratch = await mkdtemp(join(tmpdir(), "deploy-isolation-shared-"));
		// nobody passes through the test's folder to the home it owns, as a user reaches ~/.deploy.
		await chmod(scratch, 0o711);
		home = join(scratch, "home");
		const built = installAgent(join(scratch, "build"));
		await mkdir(join(home, "bin"), { recursive: true });
		await copyFile(built, join(home, "bin", "agent.mjs"));
		for (const path of [home, join(home, "bin"), join(home, "bin", "agent.mjs")]) await chown(path, NOBODY, NOBODY);
		app = join(scratch, "app");
		await mkdir(app);
		await writeFile(join(app, "server.js"), SERVER);
		bridge = spawn("setpriv", [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, "--clear-groups", process.execPath, join(home, "bin", "agent.mjs"), "connect"], {
			env: { PATH: process.env.PATH ?? "/usr/bin:/bin", DEPLOY_AGENT_HOME: home, HOME: home },
			stdio: ["pipe", "pipe", "pipe"],
		});
		let stderr = "";
		bridge.stderr?.on("data", (chunk) => (stderr += chunk));
		rpc = new RpcClient(bridge.stdout!, bridge.stdin!);
		bridge.on("exit", () => rpc.fail(new Error(`bridge exited: ${stderr}`)));
	});
	afterAll(async () => {
		await rpc?.call("shutdown", {}).catch(() => undefined);
		bridge?.stdin?.end();
		await stopAgentHome(home);
		await rm(scratch, { recursive: true, force: true });
	});

	test("the instance runs as the agent's user with no_new_privs, on 127.0.0.1; doctor says apps share that user and why", async () => {
		httpPort = await freePort();
		await rpc.call("setup", { proxy: "builtin", httpPort, httpsPort: await freePort(), address: "127.0.0.1" });
		const snap = snapshot(app);
		await upload(rpc, snap);
		const spec = { name: "shared", env: {}, processes: { web: { command: "node server.js", healthcheck: { timeoutSeconds: 10, intervalMs: 50 }, drainSeconds: 1 } } };
		const record = await rpc.call("deploy", { app: spec, manifest: snap.manifest, commit: null });
		assert.equal(record.status, "live");
		assert.equal((await httpGet(httpPort, "shared.localhost")).body, "shared\n");
		const [instance] = await rpc.call("ps", { app: "shared" });
		const status = readFileSync(`/proc/${instance!.pid}/status`, "utf8");
		assert.match(status, new RegExp(`^Uid:\\s+${NOBODY}\\s`, "m"), "the agent's own user: no other to be");
		assert.match(status, /^NoNewPrivs:\s+1$/m);
		const environ = readFileSync(`/proc/${instance!.pid}/environ`, "utf8").split("\0");
		assert.ok(environ.includes("HOST=127.0.0.1"), environ.join(" "));
		const { isolation } = await rpc.call("doctor", {});
		assert.equal(isolation?.mode, "shared");
		assert.equal(isolation?.noNewPrivs, true);
		assert.match(isolation?.reason ?? "", /^the agent runs as nobody, not root, so it cannot make users: every app runs and builds as nobody/);
		assert.match(isolation?.firewall.reason ?? "", /not root/);
	});

	// Issue 14, item 4: the agent reads the sockets of its apps' processes in /proc; not root, it can because they run as its own user.
	test("an app that listens on a port of its own fails its deploy with WRONG_PORT; the live release keeps answering", async () => {
		const [live] = await rpc.call("ps", { app: "shared" });
		const hardCoded = await freePort();
		const snap = snapshot(app, { "server.js": SERVER.replace("Number(process.env.PORT)", String(hardCoded)) });
		await upload(rpc, snap);
		const spec = { name: "shared", env: {}, processes: { web: { command: "node server.js", healthcheck: { timeoutSeconds: 30, intervalMs: 50 }, drainSeconds: 1 } } };
		const error = await rejectsWithCode(rpc.call("deploy", { app: spec, manifest: snap.manifest, commit: null }), "WRONG_PORT");
		assert.match(error.message, new RegExp(`^The app listens on ${hardCoded}, not on \\$PORT \\(\\d+\\)\\.$`));
		assert.deepEqual(
			(await rpc.call("ps", { app: "shared" })).map((row) => row.pid),
			[live!.pid],
		);
		assert.equal((await httpGet(httpPort, "shared.localhost")).body, "shared\n");
	});
});
