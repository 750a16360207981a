// Text from exec channels of a real sshd (providers/ssh/host.ts, exec.ts): SSH packets
// part the byte stream at about 32 KB, so a multi-byte character is cut in two many
// times over a long output; stdout, its lines and stderr's tail must stay whole.
import assert from "node:assert/strict";
import { afterAll, beforeAll, test } from "vitest";
import type { RemoteHost } from "../../../core/provider.js";
import { openRemoteHost } from "../../../providers/ssh/index.js";
import { type Sshd, startSshd } from "../../fixtures/sshd.js";

let sshd: Sshd;
let host: RemoteHost;

beforeAll(async () => {
	sshd = await startSshd();
	host = await openRemoteHost({ host: sshd.host, port: sshd.port, user: sshd.user, identityFile: sshd.identityFile, hostKeyFingerprint: sshd.hostKeyFingerprint }, { acceptNewHostKey: false });
});

afterAll(async () => {
	await host?.close();
	await sshd?.stop();
});

test("stdout and its lines keep 3-byte characters across packet boundaries", async () => {
	// 100 lines of 1000 "€" (3 bytes each): 300 KB, about ten packets, none ending on a character.
	const line = "€".repeat(1000);
	const text = `${Array.from({ length: 100 }, () => line).join("\n")}\n`;
	const lines: string[] = [];
	const result = await host.exec("cat", { stdin: Buffer.from(text), onLine: (l) => lines.push(l) });
	assert.equal(result.code, 0);
	assert.ok(!result.stdout.includes("\uFFFD"), "no replacement character in stdout");
	assert.equal(result.stdout, text);
	assert.equal(lines.length, 100);
	assert.ok(
		lines.every((l) => l === line),
		"every line whole",
	);
});

test("stderr's tail, shown in error details, keeps them too", async () => {
	// The tail kept is the last 16 384 characters: 40 lines of 400 "€", 48 KB, across a packet boundary.
	const line = "€".repeat(400);
	const text = `${Array.from({ length: 300 }, () => line).join("\n")}\n`;
	const result = await host.exec("cat >&2", { stdin: Buffer.from(text) });
	assert.equal(result.code, 0);
	assert.equal(result.stderr.length, 40);
	assert.deepEqual(result.stderr, Array.from({ length: 40 }, () => line));
});
