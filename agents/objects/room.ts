import { statfs } from "node:fs/promises";
import { dirname } from "node:path";
import { DeployError } from "../../core/protocol/index.js";
import { formatSize } from "../../core/protocol/size.js";
import { minFreeBytes } from "../build/disk.js";

/**
 * Refuses to store `bytes` more when that would leave less free space than a build
 * needs (DEPLOY_AGENT_MIN_FREE_MB): an upload must not fill the disk the apps, their
 * logs and the agent's state live on.
 */
export async function checkRoom(dir: string, bytes: number, reserve = minFreeBytes()): Promise<void> {
	// The store's folder appears with its first object: until then, its parent's file system.
	const stats = await statfs(dir).catch(() => statfs(dirname(dir)));
	const free = stats.bavail * stats.bsize;
	if (free - bytes >= reserve) return;
	throw new DeployError(
		"DISK_LOW",
		`The server's disk has ${formatSize(free)} free; storing ${formatSize(bytes)} of uploaded files would leave less than the ${formatSize(reserve)} a build needs; it was not stored.`,
		"Free space: `deploy cache clear` (also removes uploaded files no kept release uses), fewer kept releases (releases.keep), or grow the disk.",
	);
}
