// Crash-safe file writes, for the agent's state and the client's own files alike: the
// agent imports only core/protocol, so the one copy lives here. Not exported from
// index.ts: the Electron preload bundles that, and has no node:fs.
import { randomBytes } from "node:crypto";
import { mkdir, open, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

/**
 * A temp file beside the target, fsync, rename: a crash leaves the old content or the
 * new, never half of either. A write that fails (a full disk, a rename refused) removes
 * its temp file, so a disk that filled up once does not keep filling with them (issue
 * 13). The temp name starts with a dot and ends in .tmp: file watchers (Traefik's file
 * provider) never load it, and the object collector knows it for a leftover of a crash.
 * Private unless told otherwise: the file 0600, a folder it creates 0700.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, mode = 0o600, owner?: { uid: number; gid: number }): Promise<void> {
	const dir = dirname(path);
	await mkdir(dir, { recursive: true, mode: 0o700 });
	const tmp = join(dir, `.${basename(path)}.${randomBytes(4).toString("hex")}.tmp`);
	// "wx": a name that exists is not ours to write through (or to remove below).
	const handle = await open(tmp, "wx", mode);
	try {
		try {
			await handle.writeFile(data);
			// Given to its owner before it takes the name: a root agent writing a login's file (issue 16) never leaves it root's.
			if (owner) await handle.chown(owner.uid, owner.gid);
			await handle.sync();
		} finally {
			await handle.close();
		}
		await rename(tmp, path);
	} catch (error) {
		await rm(tmp, { force: true }).catch(() => undefined);
		throw error;
	}
}
