// The SSH provider against a real sshd on 127.0.0.1: host key pinning, agent install
// and upgrade, and RPC through the installed agent.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { copyFile, mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, test } from "vitest";
import { execa } from "execa";
import { agentBundle } from "../../../core/agent-bundle.js";
import type { AgentBundle, SshConnectOptions } from "../../../core/provider.js";
import { DeployError, type DeployEvent } from "../../../core/protocol/index.js";
import { openSshSession } from "../../../providers/ssh/index.js";
import { connectCommand, socketCommand } from "../../../providers/ssh/remote-scripts.js";
import { type Sshd, type SshdOptions, startSshd } from "../../fixtures/sshd.js";
import { writeStandInAgent } from "../stand-in-agent.js";

const servers: Sshd[] = [];
let work: string;
let bundle: AgentBundle;

beforeAll(async () => {
	work = await mkdtemp(join(tmpdir(), "deploy-ssh-test-"));
	bundle = await writeStandInAgent(work, "1");
});

afterAll(async () => {
	await Promise.all(servers.map((server) => server.stop()));
	await rm(work, { recursive: true, force: true });
});

async function server(sshdOptions: SshdOptions = {}): Promise<Sshd> {
	const sshd = await startSshd(sshdOptions);
	servers.push(sshd);
	return sshd;
}

function target(sshd: Sshd, hostKeyFingerprint: string | null) {
	return { host: sshd.host, port: sshd.port, user: sshd.user, identityFile: sshd.identityFile, hostKeyFingerprint };
}

function options(overrides: Partial<SshConnectOptions> = {}): SshConnectOptions {
	return { bundle, acceptNewHostKey: false, ...overrides };
}

function isDeployError(code: string) {
	return (error: unknown) => error instanceof DeployError && error.code === code;
}

describe("host key pinning", () => {
	test("an unknown host key without --accept-new-host-key is refused and nothing is installed", async () => {
		const sshd = await server();
		const error = await openSshSession(target(sshd, null), options()).then(
			() => assert.fail("connected to an unknown host"),
			(e: unknown) => e,
		);
		assert.ok(isDeployError("HOST_KEY_UNKNOWN")(error));
		assert.match((error as DeployError).message, new RegExp(sshd.hostKeyFingerprint.replace(/[+/]/g, "\\$&")));
		assert.match((error as DeployError).hint ?? "", /--accept-new-host-key/);
		assert.equal(existsSync(join(sshd.agentHome, "bin")), false);
	});

	test("a person who declines the fingerprint is refused; one who accepts it connects", async () => {
		const sshd = await server();
		const seen: string[] = [];
		const confirm = (answer: boolean) => async (fingerprint: string) => {
			seen.push(fingerprint);
			return answer;
		};
		await assert.rejects(openSshSession(target(sshd, null), options({ confirmHostKey: confirm(false) })), isDeployError("HOST_KEY_UNKNOWN"));
		const { session, hostKeyFingerprint } = await openSshSession(target(sshd, null), options({ confirmHostKey: confirm(true) }));
		await session.close();
		assert.equal(hostKeyFingerprint, sshd.hostKeyFingerprint);
		assert.deepEqual(seen, [sshd.hostKeyFingerprint, sshd.hostKeyFingerprint]);
	});

	test("a changed host key is refused loudly, showing both fingerprints", async () => {
		const sshd = await server();
		const pinned = sshd.hostKeyFingerprint;
		const first = await openSshSession(target(sshd, pinned), options());
		await first.session.close();
		const replaced = await sshd.replaceHostKey();
		assert.notEqual(replaced, pinned);

		const error = await openSshSession(target(sshd, pinned), options({ acceptNewHostKey: true })).then(
			() => assert.fail("connected despite a changed host key"),
			(e: unknown) => e as DeployError,
		);
		assert.equal(error.code, "HOST_KEY_CHANGED");
		assert.match(error.message, /host key .* has CHANGED/);
		assert.ok(error.message.includes(pinned), "shows the expected fingerprint");
		assert.ok(error.message.includes(replaced), "shows the received fingerprint");
		assert.match(error.message, /attack/);
		assert.match(error.hint ?? "", /remove the server and add it again/);
	});
});

describe("agent install and upgrade", () => {
	let sshd: Sshd;
	beforeAll(async () => {
		sshd = await server();
	});

	test("the first connect pins the key, installs the agent and talks to it", async () => {
		const events: DeployEvent[] = [];
		const opened = await openSshSession(target(sshd, null), options({ acceptNewHostKey: true, onEvent: (e) => events.push(e) }));
		try {
			assert.equal(opened.hostKeyFingerprint, sshd.hostKeyFingerprint);
			assert.equal(opened.agentInstalled, true);
			const hello = await opened.session.rpc.call("hello", { client: "test" });
			assert.equal(hello.agentVersion, bundle.sha256);
			assert.equal(hello.home, sshd.agentHome);
			const { size } = await stat(bundle.path);
			assert.ok(opened.session.bytesSent() > size, "the bundle travelled");
		} finally {
			await opened.session.close();
		}
		assert.equal((await readFile(join(sshd.agentHome, "bin", "agent.sha256"), "utf8")).trim(), bundle.sha256);
		assert.deepEqual(
			events.map((e) => (e.type === "step" ? `${e.step}:${e.status}${e.message ? `:${e.message}` : ""}` : e.type)),
			["connect:started", "connect:done", "agent:started", "agent:done:installed"],
		);
	});

	test("the second connect with the pinned key does not upload the agent again", async () => {
		const events: DeployEvent[] = [];
		const opened = await openSshSession(target(sshd, sshd.hostKeyFingerprint), options({ onEvent: (e) => events.push(e) }));
		try {
			assert.equal(opened.agentInstalled, false);
			const hello = await opened.session.rpc.call("hello", { client: "test" });
			assert.equal(hello.agentVersion, bundle.sha256);
			// The daemon-socket check and the bridge's command line (a stand-in has no daemon), one hello: no bundle.
			const commands = Buffer.byteLength(socketCommand(bundle.sha256)) + Buffer.byteLength(connectCommand(bundle.sha256));
			assert.ok(opened.session.bytesSent() < commands + 100, `only commands and RPC travelled (${opened.session.bytesSent()} bytes)`);
		} finally {
			await opened.session.close();
		}
		assert.ok(events.some((e) => e.type === "step" && e.step === "agent" && e.status === "done" && e.message === undefined));
	});

	test("a different bundle upgrades the agent", async () => {
		const next = await writeStandInAgent(work, "2");
		const events: DeployEvent[] = [];
		const opened = await openSshSession(target(sshd, sshd.hostKeyFingerprint), options({ bundle: next, onEvent: (e) => events.push(e) }));
		try {
			assert.equal(opened.agentInstalled, true);
			assert.equal((await opened.session.rpc.call("hello", { client: "test" })).agentVersion, next.sha256);
		} finally {
			await opened.session.close();
		}
		assert.ok(events.some((e) => e.type === "step" && e.step === "agent" && e.status === "done" && e.message === "upgraded"));
		assert.equal((await readFile(join(sshd.agentHome, "bin", "agent.sha256"), "utf8")).trim(), next.sha256);
	});
});

describe("credentials", () => {
	test("without an identity file, the key held by ssh-agent logs in", async () => {
		const sshd = await server();
		const socket = join(work, "agent.sock");
		const agent = execa("ssh-agent", ["-D", "-a", socket], { reject: false });
		const previous = process.env.SSH_AUTH_SOCK;
		try {
			await waitFor(() => existsSync(socket));
			await execa("ssh-add", [sshd.identityFile], { env: { SSH_AUTH_SOCK: socket } });
			process.env.SSH_AUTH_SOCK = socket;
			const { identityFile: _none, ...withoutIdentity } = target(sshd, null);
			const opened = await openSshSession(withoutIdentity, options({ acceptNewHostKey: true }));
			await opened.session.close();
			assert.equal(opened.hostKeyFingerprint, sshd.hostKeyFingerprint);
		} finally {
			if (previous === undefined) delete process.env.SSH_AUTH_SOCK;
			else process.env.SSH_AUTH_SOCK = previous;
			agent.kill();
			await agent;
		}
	});
});

async function waitFor(condition: () => boolean): Promise<void> {
	for (let i = 0; i < 100 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 50));
	assert.ok(condition(), "ssh-agent did not create its socket");
}

describe("connection failures", () => {
	test("a key the server does not accept is SSH_AUTH_FAILED", async () => {
		const sshd = await server();
		const stranger = join(work, "stranger_ed25519");
		await execa("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", stranger]);
		const error = await openSshSession({ ...target(sshd, null), identityFile: stranger }, options({ acceptNewHostKey: true })).then(
			() => assert.fail("logged in with an unknown key"),
			(e: unknown) => e as DeployError,
		);
		assert.equal(error.code, "SSH_AUTH_FAILED");
		assert.match(error.hint ?? "", /authorized_keys/);
	});

	test("a port nobody listens on is SSH_CONNECT_FAILED", async () => {
		const live = await server();
		const stopped = await startSshd();
		await stopped.stop();
		const error = await openSshSession({ ...target(live, null), port: stopped.port }, options({ acceptNewHostKey: true })).then(
			() => assert.fail("connected to a closed port"),
			(e: unknown) => e as DeployError,
		);
		assert.equal(error.code, "SSH_CONNECT_FAILED");
		assert.match(error.message, /refused/);
	});

	test("a server set up before issue 12 (no runtime of the agent's) with a too old node is NODE_MISSING and nothing is installed", async () => {
		const bin = join(work, "old-node-bin");
		await mkdir(bin);
		await writeFile(join(bin, "node"), "#!/bin/sh\necho v18.19.0\n", { mode: 0o755 });
		const sshd = await server({ env: { PATH: `${bin}:/usr/bin:/bin` }, runtime: false });
		const error = await openSshSession(target(sshd, null), options({ acceptNewHostKey: true })).then(
			() => assert.fail("connected without node on the server"),
			(e: unknown) => e as DeployError,
		);
		assert.equal(error.code, "NODE_MISSING");
		assert.match(error.message, /v18\.19\.0/);
		assert.match(error.hint ?? "", /Node\.js 20/);
		assert.equal(existsSync(join(sshd.agentHome, "bin", "agent.mjs")), false);
	});
});

describe("the real agent", () => {
	test("hello round trip through the built dist/agent.mjs", async () => {
		// npm test builds first; a missing bundle is a failure here, not a skip.
		const built = agentBundle();
		// A copy, so a concurrent `npm run build` cannot change it under the test.
		const path = join(work, "agent.mjs");
		await copyFile(built.path, path);
		const real = { path, sha256: createHash("sha256").update(await readFile(path)).digest("hex") };
		const sshd = await server();
		const opened = await openSshSession(target(sshd, null), options({ bundle: real, acceptNewHostKey: true }));
		try {
			assert.equal(opened.agentInstalled, true);
			const hello = await opened.session.rpc.call("hello", { client: "test" });
			assert.equal(hello.agentVersion, real.sha256);
			assert.equal(hello.home, sshd.agentHome);
		} finally {
			await opened.session.close();
		}
	});
});

