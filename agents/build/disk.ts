import { statfs } from "node:fs/promises";
import { DeployError } from "../../core/protocol/index.js";
import { formatSize } from "../../core/protocol/size.js";

/** Free space a build needs before it starts (DEPLOY_AGENT_MIN_FREE_MB, default 512 MiB). */
export function minFreeBytes(env: NodeJS.ProcessEnv = process.env): number {
	const mb = Number(env.DEPLOY_AGENT_MIN_FREE_MB);
	return (Number.isFinite(mb) && mb >= 0 ? mb : 512) * 1024 * 1024;
}

/** Fails with DISK_LOW when the agent's disk has less than `needed` bytes free for non-root users. */
export async function checkDisk(path: string, needed = minFreeBytes()): Promise<number> {
	const stats = await statfs(path);
	const free = stats.bavail * stats.bsize;
	if (free < needed) {
		throw new DeployError(
			"DISK_LOW",
			`Only ${formatSize(free)} are free on the server's disk (${path}); a build needs at least ${formatSize(needed)}.`,
			"Free space: `deploy cache clear`, fewer kept releases (keepReleases), or remove old files on the server.",
		);
	}
	return free;
}
