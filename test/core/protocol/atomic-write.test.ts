// Issue 13, item 19: a write that fails leaves no temp file behind. On a real full disk
// (a small tmpfs), and with a rename the file system refuses: the target keeps its old
// content and the folder holds nothing new, for the one writer the agent and the client
// share and for the client's last-deploy record, which wrote its own temp file before.
import assert from "node:assert/strict";
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, test } from "vitest";
import { manifestBaseFile } from "../../../core/deploy/manifest-base.js";
import { writeFileAtomic } from "../../../core/protocol/atomic-write.js";
import { mountSmallDisk, type SmallDisk } from "../../helpers/tmpfs.js";

/** Every name under `dir`, folders walked, as paths relative to it. */
async function names(dir: string): Promise<string[]> {
	return (await readdir(dir, { recursive: true })).map(String).sort();
}

describe("atomic writes that fail", () => {
	let scratch: string;
	let disk: SmallDisk;

	beforeAll(async () => {
		scratch = await mkdtemp(join(tmpdir(), "deploy-atomic-"));
		disk = await mountSmallDisk(join(scratch, "disk"), 64);
	});
	afterAll(async () => {
		await disk?.unmount();
		await rm(scratch, { recursive: true, force: true });
	});
	beforeEach(async () => {
		for (const name of await readdir(disk.path)) await rm(join(disk.path, name), { recursive: true, force: true });
	});

	test("a full disk: the write fails with ENOSPC, the old content stays, no temp file remains", async () => {
		const target = join(disk.path, "state.json");
		await writeFileAtomic(target, '{"old":true}\n');
		await disk.fill();
		await assert.rejects(writeFileAtomic(target, JSON.stringify({ big: "x".repeat(32 * 1024) })), { code: "ENOSPC" });
		assert.equal(await readFile(target, "utf8"), '{"old":true}\n');
		assert.deepEqual(await names(disk.path), [".filler", "state.json"]);
	});

	test("a rename refused (a folder where the file goes): the write fails, no temp file remains", async () => {
		const target = join(disk.path, "routes.json");
		await mkdir(target);
		await writeFile(join(target, "inside"), "x");
		await assert.rejects(writeFileAtomic(target, "{}\n"), (error: NodeJS.ErrnoException) => ["EISDIR", "ENOTEMPTY", "EEXIST"].includes(error.code ?? ""));
		assert.deepEqual(await names(disk.path), ["routes.json", "routes.json/inside"]);
	});

	test("the client's record of the last deploy on a full disk: the write fails, no temp file remains", async () => {
		await disk.fill();
		const base = manifestBaseFile(disk.path, "prod", "shop");
		await assert.rejects(base.write("dmx7gfqzgqz6s", [{ path: "server.js", mode: "100644", id: "a".repeat(40) }]), { code: "ENOSPC" });
		assert.deepEqual((await names(disk.path)).filter((name) => name.endsWith(".tmp")), []);
		assert.equal(await base.read(), null);
	});

	test("a write that succeeds is private: the file 0600, a folder it makes 0700", async () => {
		const target = join(disk.path, "made", "here.json");
		await writeFileAtomic(target, "{}\n");
		assert.equal((await stat(target)).mode & 0o777, 0o600);
		assert.equal((await stat(join(disk.path, "made"))).mode & 0o777, 0o700);
		assert.deepEqual(await names(disk.path), ["made", "made/here.json"]);
	});
});
