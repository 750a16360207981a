import { writeFileAtomic } from "../../core/protocol/atomic-write.js";

/**
 * Every state write on the server goes through here (core/protocol/atomic-write.ts: temp
 * file, fsync, rename; the temp file removed when any step fails).
 */
export { writeFileAtomic };

export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
	await writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}
