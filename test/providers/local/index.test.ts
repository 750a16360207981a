// The local provider (`deploy preview`): the agent as a child process, RPC over its stdio.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { copyFile, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, test } from "vitest";
import { agentBundle } from "../../../core/agent-bundle.js";
import { DeployError } from "../../../core/protocol/index.js";
import { openLocalSession } from "../../../providers/local/index.js";
import { stopAgentHome } from "../../fixtures/sshd.js";
import { writeStandInAgent } from "../stand-in-agent.js";

let work: string;
const homes: string[] = [];

beforeAll(async () => {
	work = await mkdtemp(join(tmpdir(), "deploy-local-test-"));
});

afterAll(async () => {
	for (const home of homes) await stopAgentHome(home);
	await rm(work, { recursive: true, force: true });
});

function home(name: string): string {
	const path = join(work, name);
	homes.push(path);
	return path;
}

test("hello round trip with the agent running as a local child", async () => {
	const bundle = await writeStandInAgent(work);
	const session = await openLocalSession({ home: home("stand-in"), bundle });
	try {
		const hello = await session.rpc.call("hello", { client: "test" });
		assert.equal(hello.agentVersion, bundle.sha256);
		assert.equal(hello.home, join(work, "stand-in"));
		assert.ok(session.bytesSent() > 0);
	} finally {
		await session.close();
	}
	await assert.rejects(session.rpc.call("hello", { client: "test" }), (e: unknown) => e instanceof DeployError && e.code === "SESSION_CLOSED");
});

test("an agent that dies fails the pending call with what it printed", async () => {
	const broken = join(work, "broken.mjs");
	await writeFile(broken, 'console.error("agent: cannot open the state file"); process.exit(3);\n');
	const session = await openLocalSession({ home: home("broken"), bundle: { path: broken, sha256: "0".repeat(64) } });
	try {
		const error = await session.rpc.call("hello", { client: "test" }).then(
			() => assert.fail("a dead agent answered"),
			(e: unknown) => e as DeployError,
		);
		assert.equal(error.code, "AGENT_DISCONNECTED");
		assert.match(error.message, /exit code 3/);
		assert.deepEqual(error.details, ["agent: cannot open the state file"]);
	} finally {
		await session.close();
	}
});

test("what a dying agent printed keeps a character its writes cut in two", async () => {
	const broken = join(work, "broken-utf8.mjs");
	// Two writes a moment apart, parting the "€" (3 bytes) after its first byte: two chunks on the pipe.
	await writeFile(
		broken,
		'const bytes = Buffer.from("agent: état € perdu\\n"); const cut = bytes.indexOf(0xe2); process.stderr.write(bytes.subarray(0, cut + 1)); setTimeout(() => { process.stderr.write(bytes.subarray(cut + 1)); setTimeout(() => process.exit(3), 100); }, 200);\n',
	);
	const session = await openLocalSession({ home: home("broken-utf8"), bundle: { path: broken, sha256: "0".repeat(64) } });
	try {
		const error = await session.rpc.call("hello", { client: "test" }).then(
			() => assert.fail("a dead agent answered"),
			(e: unknown) => e as DeployError,
		);
		assert.equal(error.code, "AGENT_DISCONNECTED");
		assert.deepEqual(error.details, ["agent: état € perdu"]);
	} finally {
		await session.close();
	}
});

test("hello round trip through the built dist/agent.mjs", async () => {
		// npm test builds first; a missing bundle is a failure here, not a skip.
		const built = agentBundle();
	// A copy, so a concurrent `npm run build` cannot change it under the test.
	const path = join(work, "agent.mjs");
	await copyFile(built.path, path);
	const real = { path, sha256: createHash("sha256").update(await readFile(path)).digest("hex") };
	const agentHome = home("real");
	const session = await openLocalSession({ home: agentHome, bundle: real });
	try {
		const hello = await session.rpc.call("hello", { client: "test" });
		assert.equal(hello.agentVersion, real.sha256);
		assert.equal(hello.home, agentHome);
	} finally {
		await session.close();
	}
});

