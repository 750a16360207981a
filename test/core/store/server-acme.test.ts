// Issue 6: the servers table's TLS columns (migration 0002_server_acme). A server added
// before them has NULLs there, and must read as TLS on, Let's Encrypt.
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, test } from "vitest";
import Database from "better-sqlite3";
import { type NewServer, openStore } from "../../../core/store/index.js";

const root = await mkdtemp(join(tmpdir(), "deploy-store-acme-"));
afterAll(() => rm(root, { recursive: true, force: true }));

const vps: NewServer = {
	name: "vps",
	host: "203.0.113.10",
	port: 22,
	user: "deploy",
	identityFile: null,
	hostKeyFingerprint: "SHA256:abc",
	proxy: "caddy",
	httpPort: 80,
	httpsPort: 443,
	address: "203.0.113.10",
};

describe("servers: ACME settings", () => {
	test("kept as added: --no-tls, or the CA and email", async () => {
		const store = await openStore(join(root, "a", "deploy.db"));
		try {
			await store.servers.add({ ...vps, tls: false });
			await store.servers.add({ ...vps, name: "staging", acmeCa: "https://acme-staging-v02.api.letsencrypt.org/directory", acmeEmail: "ops@example.com" });
			const [staging, plain] = await store.servers.list();
			assert.deepEqual([plain?.tls, plain?.acmeCa, plain?.acmeEmail], [false, null, null]);
			assert.deepEqual([staging?.tls, staging?.acmeCa, staging?.acmeEmail], [true, "https://acme-staging-v02.api.letsencrypt.org/directory", "ops@example.com"]);
		} finally {
			await store.close();
		}
	});

	test("a row from before the migration (NULL columns) reads as TLS on with Let's Encrypt", async () => {
		const path = join(root, "b", "deploy.db");
		await (await openStore(path)).close();
		const raw = new Database(path);
		raw.prepare(
			"insert into servers (name, host, port, user, host_key_fingerprint, proxy, http_port, https_port, address) values ('old', '203.0.113.9', 22, 'deploy', 'SHA256:x', 'caddy', 80, 443, '203.0.113.9')",
		).run();
		raw.close();
		const store = await openStore(path);
		try {
			const old = await store.servers.require("old");
			assert.deepEqual([old.tls, old.acmeCa, old.acmeEmail], [true, null, null]);
		} finally {
			await store.close();
		}
	});
});
