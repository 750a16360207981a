// The early session's fallback, against a real sshd and the real agent: when its
// worker thread ends without a word, the command connects in its own thread instead
// of failing (core/servers/connect.ts). The thread here is a module that exits at once,
// standing in for one that crashed.
import assert from "node:assert/strict";
import { afterAll, beforeAll, test } from "vitest";
import type { ServerInfo } from "../../../core/api/types.js";
import type { Providers } from "../../../core/provider.js";
import { openServerSession } from "../../../core/servers/connect.js";
import { closeUnadoptedEarly, openEarly } from "../../../core/servers/early-session.js";
import { startSshWorker } from "../../../providers/ssh/worker-session.js";
import { type Sshd, startSshd } from "../../fixtures/sshd.js";

let sshd: Sshd;
const providers: Providers = {
	ssh: () => import("../../../providers/ssh/index.js"),
	local: () => import("../../../providers/local/index.js"),
};

beforeAll(async () => {
	sshd = await startSshd();
});

afterAll(async () => {
	await closeUnadoptedEarly();
	await sshd?.stop();
});

test("a worker thread that ends before its session is ready: the command connects in its own thread", async () => {
	const server: ServerInfo = {
		name: "prod",
		user: sshd.user,
		host: sshd.host,
		port: sshd.port,
		address: "127.0.0.1",
		proxy: "caddy",
		httpPort: 80,
		httpsPort: 443,
		hostKeyFingerprint: sshd.hostKeyFingerprint,
		identityFile: sshd.identityFile,
		privilege: "root",
		nodeMirror: null,
		proxyMirror: null,
		tls: false,
		acmeCa: null,
		acmeEmail: null,
		createdAt: new Date().toISOString(),
	};
	const dying = startSshWorker(new URL("data:text/javascript,"));
	await openEarly(providers, server, { worker: dying });
	const session = await openServerSession(providers, server);
	try {
		const hello = await session.rpc.call("hello", { client: "test" });
		assert.match(hello.agentVersion, /^[0-9a-f]{64}$/);
		assert.equal(sshd.logins(), 1, "only the command's own login: the dead thread never logged in");
	} finally {
		await session.close();
	}
});
