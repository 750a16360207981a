import { randomFillSync } from "node:crypto";
import { open } from "node:fs/promises";

const MB = 1024 * 1024;

/** `mb` MiB of random bytes, written a MiB at a time: nothing compresses it, as with media or archives. */
export async function writeRandomFile(path: string, mb: number): Promise<void> {
	const handle = await open(path, "w");
	const block = Buffer.alloc(MB);
	try {
		for (let i = 0; i < mb; i++) await handle.write(randomFillSync(block));
	} finally {
		await handle.close();
	}
}
