// Issue 14, item 1: a large file's upload cut off half-way, as when a laptop's lid
// closes or the user kills the CLI: the built CLI against a real sshd, the agent and
// Caddy. Nothing of the file is left in the server's store (no object, no temp file),
// the live release keeps serving, and the next deploy sends the file whole, byte for byte.
import assert from "node:assert/strict";
import { createHash, } from "node:crypto";
import { createReadStream, existsSync, readdirSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, test } from "vitest";
import { httpGet } from "../helpers/net.js";
import { startCli } from "./background-cli.js";
import { startTestServer, type TestServer } from "./server.js";
import { writeRandomFile } from "../helpers/random-file.js";

const MB = 1024 * 1024;
const host = "versioned.127.0.0.1.sslip.io";

/** The git blob id of a file, computed here, independently of the CLI and the agent. */
async function blobIdOf(path: string, size: number): Promise<string> {
	const hash = createHash("sha1").update(`blob ${size}\0`);
	for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
	return hash.digest("hex");
}

describe("a large upload cut off half-way", () => {
	let server: TestServer;
	const answer = async () => (await httpGet(server.httpPort, host)).body.trim();
	const storeEntries = () => {
		const objects = join(server.sshd.agentHome, "objects");
		if (!existsSync(objects)) return [];
		return readdirSync(objects).flatMap((prefix) => readdirSync(join(objects, prefix)).map((name) => `${prefix}/${name}`));
	};
	const tempFiles = () => storeEntries().filter((name) => name.endsWith(".tmp"));

	beforeAll(async () => {
		server = await startTestServer("versioned");
		const first = await server.cli(["--json"]);
		assert.equal(first.code, 0, first.stderr + first.stdout);
		assert.equal(await answer(), "v1");
	});

	afterAll(async () => {
		await server?.stop();
	});

	test("the CLI killed mid-file: no object and no temp file on the server, v1 still serves; the next deploy sends the file whole", async () => {
		await mkdir(join(server.appDir, "data"));
		const big = join(server.appDir, "data", "model.bin");
		await writeRandomFile(big, 120);
		await writeFile(join(server.appDir, "VERSION"), "v2\n");
		const id = await blobIdOf(big, 120 * MB);

		const cli = startCli(["--json"], { cwd: server.appDir, env: server.env });
		// The first progress event comes once the first chunk is stored on the server.
		await cli.waitFor(/"type":"progress","step":"upload","done":[1-9]/);
		cli.kill("SIGKILL");
		const killed = await cli.done;
		const progress = killed.lines.filter((line) => line.type === "progress");
		assert.ok(
			progress.every((line) => Number(line.done) < Number(line.total)),
			"killed in the middle of the file",
		);

		// The agent drops the file when the SSH connection goes; wait for that, then look.
		for (let i = 0; i < 200 && tempFiles().length > 0; i++) await sleep(50);
		assert.deepEqual(tempFiles(), [], "no temp file is left in the store");
		assert.ok(!storeEntries().includes(`${id.slice(0, 2)}/${id.slice(2)}`), "no object of the file is in the store");
		assert.equal(await answer(), "v1", "the live release still serves");

		const again = await server.cli(["--json"]);
		assert.equal(again.code, 0, again.stderr + again.stdout);
		assert.equal(await answer(), "v2");
		const deployed = join(server.sshd.agentHome, "apps", "versioned", "releases", String(again.last.id), "data", "model.bin");
		assert.equal(await blobIdOf(deployed, 120 * MB), id, "the release holds the same bytes");
		assert.deepEqual(tempFiles(), []);
	});
});
