// Issue 13, item 5, for an agent that is not root (a server added with a plain login
// before issue 12, `deploy preview`'s local agent): its home is its own alone from the
// daemon's start, also one an SSH login with umask 022 made 0755 before, so agent.log
// and the deployment records in it were every user's to read. The real bundle, run as
// the unprivileged `nobody`, over its real RPC.
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { chmod, chown, copyFile, mkdir, mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, test } from "vitest";
import { RpcClient } from "../../../core/rpc/client.js";
import { stopAgentHome } from "../../fixtures/sshd.js";
import { installAgent } from "../../helpers/agent-harness.js";

const NOBODY = 65534;

describe("a non-root agent's home", () => {
	let scratch: string;
	let home: string;
	let bridge: ChildProcess | undefined;

	beforeAll(async () => {
		scratch = await mkdtemp(join(tmpdir(), "deploy-home-privacy-"));
		// nobody passes through the test's folder to the home it owns, as a user reaches ~/.deploy.
		await chmod(scratch, 0o711);
		home = join(scratch, "home");
		const built = installAgent(join(scratch, "build"));
		// The home as a 022 login left it: 0755, the agent and its log readable by everyone.
		await mkdir(join(home, "bin"), { recursive: true, mode: 0o755 });
		await chmod(home, 0o755);
		await copyFile(built, join(home, "bin", "agent.mjs"));
		await writeFile(join(home, "agent.log"), "", { mode: 0o644 });
		for (const path of [home, join(home, "bin"), join(home, "bin", "agent.mjs"), join(home, "agent.log")]) await chown(path, NOBODY, NOBODY);
	});
	afterAll(async () => {
		bridge?.stdin?.end();
		await stopAgentHome(home);
		await rm(scratch, { recursive: true, force: true });
	});

	test("the daemon, started as nobody, makes its home 0700: nobody else can list or read anything in it", async () => {
		assert.equal((await stat(home)).mode & 0o777, 0o755, "the home starts as the old login left it");
		bridge = spawn("setpriv", [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, "--clear-groups", process.execPath, join(home, "bin", "agent.mjs"), "connect"], {
			env: { PATH: process.env.PATH ?? "/usr/bin:/bin", DEPLOY_AGENT_HOME: home },
			stdio: ["pipe", "pipe", "pipe"],
		});
		let stderr = "";
		bridge.stderr?.on("data", (chunk) => (stderr += chunk));
		const rpc = new RpcClient(bridge.stdout!, bridge.stdin!);
		bridge.on("exit", () => rpc.fail(new Error(`bridge exited: ${stderr}`)));
		const hello = await rpc.call("hello", { client: "test" });
		assert.equal(hello.home, home, "the daemon answers");
		const info = await stat(home);
		assert.equal(info.uid, NOBODY);
		assert.equal(info.mode & 0o777, 0o700, `the home is ${(info.mode & 0o777).toString(8)}`);
		await rpc.call("shutdown", {}).catch(() => undefined);
	});
});
