// The SSH provider's fast path against a real sshd and the built agent: once a daemon
// of the client's version serves, a command reaches it through sshd's forwarding of
// its unix socket, with no bridge process on the server; when it cannot (no daemon,
// another version, forwarding disabled), the bridge starts as before.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { copyFile, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, test } from "vitest";
import { execa } from "execa";
import { agentBundle } from "../../../core/agent-bundle.js";
import type { AgentBundle } from "../../../core/provider.js";
import { openSshSession } from "../../../providers/ssh/index.js";
import { type Sshd, type SshdOptions, startSshd } from "../../fixtures/sshd.js";

const servers: Sshd[] = [];
let work: string;
let bundle: AgentBundle;

beforeAll(async () => {
	work = await mkdtemp(join(tmpdir(), "deploy-ssh-socket-test-"));
	// A copy, so a concurrent `npm run build` cannot change it under the test.
	const path = join(work, "agent.mjs");
	await copyFile(agentBundle().path, path);
	bundle = { path, sha256: createHash("sha256").update(await readFile(path)).digest("hex") };
});

afterAll(async () => {
	await Promise.all(servers.map((server) => server.stop()));
	await rm(work, { recursive: true, force: true });
});

async function server(options: SshdOptions = {}): Promise<Sshd> {
	const sshd = await startSshd(options);
	servers.push(sshd);
	return sshd;
}

/** Opens a session, says hello, and reports whether a bridge (`agent.mjs connect`) ran on the server meanwhile. */
async function helloThroughSession(sshd: Sshd, fingerprint: string | null) {
	const opened = await openSshSession(
		{ host: sshd.host, port: sshd.port, user: sshd.user, identityFile: sshd.identityFile, hostKeyFingerprint: fingerprint },
		{ bundle, acceptNewHostKey: fingerprint === null },
	);
	try {
		const hello = await opened.session.rpc.call("hello", { client: "test" });
		const bridges = (await execa("pgrep", ["-f", `${sshd.agentHome}/bin/agent.mjs connect`], { reject: false })).stdout.trim();
		return { hello, bridgeRunning: bridges !== "", bytesSent: opened.session.bytesSent() };
	} finally {
		await opened.session.close();
	}
}

describe("reaching the agent daemon", () => {
	test("a second command talks to the daemon's socket directly, with no bridge process", async () => {
		const sshd = await server();
		const first = await helloThroughSession(sshd, null);
		assert.equal(first.hello.agentVersion, bundle.sha256);
		assert.equal(first.bridgeRunning, true, "the first command installs the agent and starts the daemon through the bridge");
		assert.equal((await readFile(join(sshd.agentHome, "agent.version"), "utf8")).trim(), bundle.sha256);

		const second = await helloThroughSession(sshd, sshd.hostKeyFingerprint);
		assert.equal(second.hello.agentVersion, bundle.sha256);
		assert.equal(second.bridgeRunning, false);
		assert.ok(second.bytesSent < 400, `the fast path writes a short check line: ${second.bytesSent} B`);
	});

	test("a daemon that died without cleaning up is started again through the bridge", async () => {
		const sshd = await server();
		await helloThroughSession(sshd, null);
		const pid = Number((await readFile(join(sshd.agentHome, "agent.pid"), "utf8")).trim());
		process.kill(pid, "SIGKILL");
		// agent.version and agent.sock stay behind, naming a daemon that is gone.
		const again = await helloThroughSession(sshd, sshd.hostKeyFingerprint);
		assert.equal(again.hello.agentVersion, bundle.sha256);
		assert.notEqual(Number((await readFile(join(sshd.agentHome, "agent.pid"), "utf8")).trim()), pid);
	});

	test("a daemon of another version is not used directly: the bridge replaces it", async () => {
		const sshd = await server();
		await helloThroughSession(sshd, null);
		// What a daemon of an older bundle would have written.
		await writeFile(join(sshd.agentHome, "agent.version"), `${"0".repeat(64)}\n`);
		const again = await helloThroughSession(sshd, sshd.hostKeyFingerprint);
		assert.equal(again.bridgeRunning, true);
		assert.equal(again.hello.agentVersion, bundle.sha256);
	});

	test("with socket forwarding disabled in sshd, commands still work through the bridge", async () => {
		const sshd = await server({ extraConfig: ["AllowStreamLocalForwarding no"] });
		await helloThroughSession(sshd, null);
		const again = await helloThroughSession(sshd, sshd.hostKeyFingerprint);
		assert.equal(again.hello.agentVersion, bundle.sha256);
		assert.equal(again.bridgeRunning, true);
	});
});
