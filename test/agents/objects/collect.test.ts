// The object store's collection on a real folder: what a kept release names stays,
// what an upload or a deploy holds stays, the rest goes; and the races between a
// collection and an upload, played out in the order that would lose a file.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, test } from "vitest";
import { DeployError } from "../../../core/protocol/index.js";
import { type AgentHome, appPaths, resolveHome } from "../../../agents/home.js";
import { blobId } from "../../../agents/objects/blob-id.js";
import { collectObjects } from "../../../agents/objects/collect.js";
import { ObjectLeases } from "../../../agents/objects/leases.js";
import { checkRoom } from "../../../agents/objects/room.js";
import { ObjectStore } from "../../../agents/objects/store.js";

const HOUR = 60 * 60 * 1000;

describe("object collection", () => {
	let dir: string;
	let home: AgentHome;
	let store: ObjectStore;

	/** Stores `text` as an object written `ageMs` ago; returns its id. */
	const put = async (text: string, ageMs = 2 * HOUR) => {
		const id = blobId(Buffer.from(text));
		await store.put(id, Buffer.from(text));
		const when = new Date(Date.now() - ageMs);
		await utimes(store.pathOf(id), when, when);
		return id;
	};
	const keepRelease = async (app: string, release: string, ids: string[]) => {
		const paths = appPaths(home, app);
		await mkdir(paths.releases, { recursive: true });
		await writeFile(paths.releaseManifest(release), JSON.stringify(ids.map((id, i) => ({ path: `f${i}`, mode: "100644", id }))));
	};
	const stored = (id: string) => existsSync(store.pathOf(id));

	beforeEach(async () => {
		dir = await mkdtemp(join(tmpdir(), "deploy-collect-"));
		home = resolveHome({ DEPLOY_AGENT_HOME: dir });
		store = new ObjectStore(home.objects);
	});
	afterEach(() => rm(dir, { recursive: true, force: true }));

	test("removes what no kept release names; keeps what one names (any app), what a lease holds and what is younger than the grace", async () => {
		const named = await put("named by web");
		const namedByOther = await put("named by a preview app");
		const unused = await put("named by a pruned release");
		const held = await put("put by an upload still running");
		const young = await put("written a minute ago", 60_000);
		await keepRelease("web", "d1", [named]);
		await keepRelease("feature-web", "d2", [namedByOther]);
		const lease = store.leases.open();
		lease.add([held]);

		const dry = await collectObjects(home, store, { graceMs: 10 * 60_000, dryRun: true });
		assert.deepEqual(dry.unused, { objects: 1, bytes: "named by a pruned release".length });
		assert.equal(dry.store.objects, 5);
		assert.ok(stored(unused), "a dry run removes nothing");

		const run = await collectObjects(home, store, { graceMs: 10 * 60_000 });
		assert.deepEqual(run.unused, { objects: 1, bytes: "named by a pruned release".length });
		assert.equal(run.store.objects, 4);
		assert.deepEqual([named, namedByOther, unused, held, young].map(stored), [true, true, false, true, true]);

		// The upload's connection closed without a deploy: its object is nobody's now.
		lease.release();
		const again = await collectObjects(home, store, { graceMs: 10 * 60_000 });
		assert.equal(again.unused.objects, 1);
		assert.equal(stored(held), false);
	});

	test("a stale temp file of an interrupted write goes; a fresh one (a write in progress) stays", async () => {
		const id = await put("x");
		const folder = join(store.dir, id.slice(0, 2));
		await writeFile(join(folder, ".stale.1234.tmp"), "half");
		await writeFile(join(folder, ".fresh.5678.tmp"), "half");
		const old = new Date(Date.now() - 2 * HOUR);
		await utimes(join(folder, ".stale.1234.tmp"), old, old);
		await collectObjects(home, store, { graceMs: 0 });
		assert.deepEqual((await readdir(folder)).sort(), [".fresh.5678.tmp"]);
	});

	test("a kept manifest that cannot be read stops the collection before anything is removed", async () => {
		const unused = await put("unused");
		await keepRelease("web", "d1", []);
		await writeFile(appPaths(home, "web").releaseManifest("d2"), "{ not json");
		await assert.rejects(collectObjects(home, store, { graceMs: 0 }), (error: unknown) => error instanceof DeployError && error.code === "MANIFEST_UNREADABLE" && /d2\.manifest\.json/.test(error.message));
		assert.ok(stored(unused));
	});

	test("an object being removed reads as missing to an upload; its put waits for the unlink and stores it again", async () => {
		const id = await put("asked for while it goes");
		const removing = store.remove(id);
		const lease = store.leases.open();
		// The upload asks while the unlink is in flight: "present" now would be a lie a moment later.
		assert.deepEqual(await store.missing([id], lease), [id]);
		await store.put(id, Buffer.from("asked for while it goes"), lease);
		assert.equal(await removing, true);
		assert.ok(stored(id), "the put landed after the unlink, not before it");
		// Held now: a collection declines it.
		assert.equal(await store.remove(id), false);
		assert.ok(stored(id));
	});

	test("an object held by a lease is never removed; a lease given back during a collection holds until it ends", async () => {
		const leases = new ObjectLeases();
		const lease = leases.open();
		lease.add(["a".repeat(40)]);
		let heldInside = false;
		await leases.collecting(async () => {
			// A deploy wrote its manifest and gave its lease back after this collection read the manifests.
			lease.release();
			heldInside = leases.held("a".repeat(40));
		});
		assert.equal(heldInside, true);
		assert.equal(leases.held("a".repeat(40)), false);
	});

	test("two leases on one object: it stays held until both are given back", () => {
		const leases = new ObjectLeases();
		const [one, two] = [leases.open(), leases.open()];
		one.add(["b".repeat(40)]);
		two.add(["b".repeat(40), "b".repeat(40)]);
		one.release();
		assert.equal(leases.held("b".repeat(40)), true);
		two.release();
		two.release();
		assert.equal(leases.held("b".repeat(40)), false);
	});

	test("put refuses with DISK_LOW when the file would leave less free space than a build needs, and stores nothing", async () => {
		const saved = process.env.DEPLOY_AGENT_MIN_FREE_MB;
		// More than any disk has: every write would go below it.
		process.env.DEPLOY_AGENT_MIN_FREE_MB = String(1024 ** 4);
		try {
			const content = Buffer.from("does not fit");
			await assert.rejects(store.put(blobId(content), content), (error: unknown) => error instanceof DeployError && error.code === "DISK_LOW" && /was not stored/.test(error.message) && /deploy cache clear/.test(error.hint ?? ""));
			assert.equal(stored(blobId(content)), false);
			assert.equal(existsSync(store.dir), false, "not even a temp file");
		} finally {
			if (saved === undefined) delete process.env.DEPLOY_AGENT_MIN_FREE_MB;
			else process.env.DEPLOY_AGENT_MIN_FREE_MB = saved;
		}
		await checkRoom(store.dir, 1, 0);
	});
});
