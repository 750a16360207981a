import assert from "node:assert/strict";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, test } from "vitest";
import Database from "better-sqlite3";
import { databasePath } from "../../../core/paths.js";
import { type NewServer, openStore } from "../../../core/store/index.js";
import { migrationProvider } from "../../../core/store/migrations.js";

const root = await mkdtemp(join(tmpdir(), "deploy-store-"));
afterAll(() => rm(root, { recursive: true, force: true }));

let count = 0;
const freshPath = () => join(root, `home${count++}`, "deploy.db");

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

describe("openStore", () => {
	test("creates the folder (0700) and the file, with WAL and foreign keys", async () => {
		const path = freshPath();
		const store = await openStore(path);
		await store.close();
		assert.equal((await stat(join(path, ".."))).mode & 0o777, 0o700);
		assert.equal((await stat(path)).mode & 0o777, 0o600);
		const raw = new Database(path, { readonly: true });
		try {
			assert.equal(raw.pragma("journal_mode", { simple: true }), "wal");
			const tables = raw.prepare("select name from sqlite_master where type = 'table' and name not like 'kysely%' and name not like 'sqlite%' order by name").all();
			assert.deepEqual(
				tables.map((row) => (row as { name: string }).name),
				["deployments", "domains", "env", "projects", "servers", "team_members", "teams", "users"],
			);
		} finally {
			raw.close();
		}
	});

	test("opening twice runs the migrations once and keeps the data", async () => {
		const path = freshPath();
		const first = await openStore(path);
		await first.servers.add(vps);
		await first.close();
		const second = await openStore(path);
		try {
			assert.deepEqual(
				(await second.servers.list()).map((s) => s.name),
				["vps"],
			);
		} finally {
			await second.close();
		}
		const raw = new Database(path, { readonly: true });
		try {
			// Each migration once (the list grows with the schema: compare with the code's own).
			const names = Object.keys(await migrationProvider.getMigrations()).sort();
			assert.deepEqual(raw.prepare("select name from kysely_migration order by name").all(), names.map((name) => ({ name })));
		} finally {
			raw.close();
		}
	});

	test("defaults to databasePath() under DEPLOY_HOME", async () => {
		const home = join(root, "deploy-home");
		const previous = process.env.DEPLOY_HOME;
		process.env.DEPLOY_HOME = home;
		try {
			assert.equal(databasePath(), join(home, "deploy.db"));
			const store = await openStore();
			await store.close();
			assert.ok((await stat(join(home, "deploy.db"))).isFile());
		} finally {
			if (previous === undefined) delete process.env.DEPLOY_HOME;
			else process.env.DEPLOY_HOME = previous;
		}
	});

	test("refuses a database written by a newer version", async () => {
		const path = freshPath();
		await (await openStore(path)).close();
		const raw = new Database(path);
		const count = Object.keys(await migrationProvider.getMigrations()).length;
		// What a newer version leaves: its migration recorded, user_version one further.
		raw.prepare("insert into kysely_migration (name, timestamp) values ('9999_future', '2100-01-01')").run();
		raw.pragma(`user_version = ${count + 1}`);
		raw.close();
		await assert.rejects(openStore(path), { code: "STORE_TOO_NEW" });
	});

	test("records the migrations applied in user_version, and trusts it only when it matches", async () => {
		const path = freshPath();
		await (await openStore(path)).close();
		const count = Object.keys(await migrationProvider.getMigrations()).length;
		const raw = new Database(path);
		assert.equal(raw.pragma("user_version", { simple: true }), count);
		// A database of a version before user_version was kept: the migrator runs, finds nothing to do, and records it.
		raw.pragma("user_version = 0");
		raw.close();
		const store = await openStore(path);
		await store.servers.add(vps);
		await store.close();
		const after = new Database(path, { readonly: true });
		try {
			assert.equal(after.pragma("user_version", { simple: true }), count);
		} finally {
			after.close();
		}
	});
});

describe("servers", () => {
	test("add, get, list, remove", async () => {
		const store = await openStore(freshPath());
		try {
			const added = await store.servers.add(vps);
			assert.equal(added.name, "vps");
			assert.equal(typeof added.id, "number");
			assert.match(added.createdAt, /^\d{4}-\d\d-\d\dT/);
			await store.servers.add({ ...vps, name: "backup", port: 2222, identityFile: "/home/me/.ssh/id_ed25519" });
			assert.deepEqual(await store.servers.get("vps"), added);
			assert.equal(await store.servers.get("nope"), undefined);
			assert.deepEqual(
				(await store.servers.list()).map((s) => [s.name, s.port, s.identityFile]),
				[
					["backup", 2222, "/home/me/.ssh/id_ed25519"],
					["vps", 22, null],
				],
			);
			assert.equal(await store.servers.remove("backup"), true);
			assert.equal(await store.servers.remove("backup"), false);
			await assert.rejects(store.servers.require("backup"), { code: "SERVER_NOT_FOUND" });
		} finally {
			await store.close();
		}
	});

	test("a taken name is SERVER_EXISTS and changes nothing", async () => {
		const store = await openStore(freshPath());
		try {
			await store.servers.add(vps);
			await assert.rejects(store.servers.add({ ...vps, host: "198.51.100.1" }), (error: Error & { code?: string; hint?: string }) => {
				assert.equal(error.code, "SERVER_EXISTS");
				assert.match(error.message, /"vps" already exists/);
				assert.ok(error.hint);
				return true;
			});
			assert.equal((await store.servers.get("vps"))?.host, "203.0.113.10");
		} finally {
			await store.close();
		}
	});
});

describe("projects", () => {
	test("upsert creates, then updates by name; removing the server keeps the project", async () => {
		const store = await openStore(freshPath());
		try {
			const server = await store.servers.add(vps);
			const created = await store.projects.upsert({ name: "shop", dir: "/src/shop", server: "vps" });
			assert.equal(created.serverId, server.id);
			assert.equal(created.server, "vps");
			const moved = await store.projects.upsert({ name: "shop", dir: "/src/shop2" });
			assert.equal(moved.id, created.id);
			assert.equal(moved.dir, "/src/shop2");
			assert.equal(moved.server, "vps", "server left out keeps the server");
			await store.servers.remove("vps");
			assert.deepEqual([(await store.projects.get("shop"))?.server, (await store.projects.get("shop"))?.serverId], [null, null]);
			assert.equal(await store.projects.get("nope"), undefined);
			const preview = await store.projects.upsert({ name: "blog", dir: "/src/blog", server: "local" });
			assert.equal(preview.server, null, "a server that is not in the table is no server");
		} finally {
			await store.close();
		}
	});
});

describe("deployments", () => {
	const base = {
		app: "shop",
		server: "vps",
		status: "building" as const,
		commit: "abc-dirty",
		url: null,
		finishedAt: null,
		error: null,
	};

	test("record upserts by id; list filters, orders newest first and limits", async () => {
		const store = await openStore(freshPath());
		try {
			await store.deployments.record({ ...base, id: "d0000001", createdAt: "2025-01-01T00:00:00.000Z", bytesUploaded: 1200, objectsUploaded: 3 });
			await store.deployments.record({ ...base, id: "d0000002", createdAt: "2025-01-02T00:00:00.000Z" });
			await store.deployments.record({ ...base, id: "d0000003", app: "blog", server: "backup", createdAt: "2025-01-03T00:00:00.000Z" });
			// The end of the first deployment, as the agent reports it (no upload counts).
			await store.deployments.record({
				...base,
				id: "d0000001",
				createdAt: "2025-01-01T00:00:00.000Z",
				status: "failed",
				finishedAt: "2025-01-01T00:01:00.000Z",
				error: { code: "HEALTHCHECK_FAILED", message: "web did not answer", hint: "Check the logs." },
			});

			const all = await store.deployments.list();
			assert.deepEqual(
				all.map((d) => d.id),
				["d0000003", "d0000002", "d0000001"],
			);
			const first = all[2]!;
			assert.equal(first.status, "failed");
			assert.deepEqual(first.error, { code: "HEALTHCHECK_FAILED", message: "web did not answer", hint: "Check the logs." });
			assert.equal(first.bytesUploaded, 1200, "a record without counts keeps the ones known");
			assert.equal(first.objectsUploaded, 3);
			assert.equal(first.commit, "abc-dirty");

			assert.deepEqual(
				(await store.deployments.list({ app: "shop" })).map((d) => d.id),
				["d0000002", "d0000001"],
			);
			assert.deepEqual(
				(await store.deployments.list({ server: "backup" })).map((d) => d.id),
				["d0000003"],
			);
			assert.deepEqual(
				(await store.deployments.list({ limit: 1 })).map((d) => d.id),
				["d0000003"],
			);
		} finally {
			await store.close();
		}
	});
});
