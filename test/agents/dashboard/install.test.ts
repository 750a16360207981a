// Issue 17, item 4: `api.dashboard` puts a build in place from the object store: once per
// build, swapped whole, refused (changing nothing) while an object is missing, and the
// objects of the served build are kept by the store's collection.
import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, readlink, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, test } from "vitest";
import { installDashboard } from "../../../agents/dashboard/install.js";
import { dashboardPaths } from "../../../agents/dashboard/paths.js";
import { type AgentHome, resolveHome } from "../../../agents/home.js";
import { blobId } from "../../../agents/objects/blob-id.js";
import { referencedObjects } from "../../../agents/objects/references.js";
import { ObjectStore } from "../../../agents/objects/store.js";

let home: AgentHome;
let store: ObjectStore;

beforeEach(async () => {
	home = resolveHome({ DEPLOY_AGENT_HOME: await mkdtemp(join(tmpdir(), "deploy-dashboard-")) });
	store = new ObjectStore(home.objects);
});
afterEach(() => rm(home.root, { recursive: true, force: true }));

/** Puts each file's content in the store and names it as the client does. */
async function build(files: Record<string, string>) {
	const named = [];
	for (const [path, text] of Object.entries(files)) {
		const content = Buffer.from(text);
		await store.put(blobId(content), content);
		named.push({ path, id: blobId(content) });
	}
	return named;
}

const served = (path: string) => readFile(join(dashboardPaths(home.root).current, path), "utf8");

test("installs a build once; the same build again writes nothing; a new one replaces it whole", async () => {
	const first = await build({ "index.html": "<html><head></head></html>", "assets/index-aaaaaaaa.js": "one()" });
	const parts = { home, store };
	const installed = await installDashboard(parts, first);
	assert.equal(installed.installed, true);
	assert.equal(installed.files, 2);
	assert.equal(await served("assets/index-aaaaaaaa.js"), "one()");
	// Private like the rest of the agent's home (issue 13), whatever the umask.
	for (const path of [dashboardPaths(home.root).dir, dashboardPaths(home.root).build(installed.version), join(dashboardPaths(home.root).build(installed.version), "assets", "index-aaaaaaaa.js")]) {
		assert.equal((await stat(path)).mode & 0o077, 0, path);
	}

	const again = await installDashboard(parts, [...first].reverse());
	assert.deepEqual(again, { ...installed, installed: false });

	const second = await build({ "index.html": "<html><head></head></html>", "assets/index-bbbbbbbb.js": "two()" });
	const next = await installDashboard(parts, second);
	assert.equal(next.installed, true);
	assert.notEqual(next.version, installed.version);
	assert.equal(await readlink(dashboardPaths(home.root).current), next.version);
	assert.equal(await served("assets/index-bbbbbbbb.js"), "two()");
	// The old build and its manifest are gone; no temp folder or link is left behind.
	assert.deepEqual((await readdir(dashboardPaths(home.root).dir)).sort(), ["current", next.version, `${next.version}.manifest.json`].sort());
});

test("a build with an object the store lacks is refused and the served one stays", async () => {
	const parts = { home, store };
	const good = await installDashboard(parts, await build({ "index.html": "<html><head></head></html>" }));
	const lacking = [...(await build({ "index.html": "<html>new</html>" })), { path: "assets/x-12345678.js", id: blobId(Buffer.from("never uploaded")) }];
	await assert.rejects(installDashboard(parts, lacking), { code: "OBJECTS_MISSING" });
	assert.equal(await readlink(dashboardPaths(home.root).current), good.version);
	assert.equal(await served("index.html"), "<html><head></head></html>");
});

test("the served build's objects are referenced: the store's collection keeps them", async () => {
	const files = await build({ "index.html": "<html><head></head></html>", "assets/app-cccccccc.css": "body{}" });
	await installDashboard({ home, store }, files);
	const referenced = await referencedObjects(home);
	for (const file of files) assert.ok(referenced.has(file.id), file.path);
});
