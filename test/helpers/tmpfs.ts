// A small disk for a test, mounted as a folder: a tmpfs of a few hundred KiB, so a full
// disk (ENOSPC in the middle of a write) is the kernel's, not a stand-in. Mounting needs
// root, as the tests here run; the mount is the test's to undo (`unmount`).
import { mkdir, open, rm } from "node:fs/promises";
import { join } from "node:path";
import { execa } from "execa";

export interface SmallDisk {
	readonly path: string;
	/** Writes a filler file until the disk has no byte left. */
	fill(): Promise<void>;
	/** Removes the filler: the disk has room again. */
	free(): Promise<void>;
	/** Unmounts (lazily when a process still holds a file on it). */
	unmount(): Promise<void>;
}

const FILLER = ".filler";

export async function mountSmallDisk(path: string, sizeKiB = 256): Promise<SmallDisk> {
	await mkdir(path, { recursive: true });
	await execa("mount", ["-t", "tmpfs", "-o", `size=${sizeKiB}k,mode=0700`, "tmpfs", path]);
	return {
		path,
		async fill() {
			const handle = await open(join(path, FILLER), "a");
			try {
				for (;;) await handle.write(Buffer.alloc(16 * 1024));
			} catch (error) {
				if ((error as NodeJS.ErrnoException).code !== "ENOSPC") throw error;
			} finally {
				await handle.close();
			}
		},
		free: () => rm(join(path, FILLER), { force: true }),
		async unmount() {
			if ((await execa("umount", [path], { reject: false })).exitCode !== 0) await execa("umount", ["-l", path]);
		},
	};
}
