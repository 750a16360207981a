import { readFile, statfs } from "node:fs/promises";
import { availableParallelism, freemem, loadavg, totalmem } from "node:os";
import type { ServerHealth } from "../../core/protocol/index.js";

/**
 * The machine's side of `status`: disk, memory, load. Linux is read from /proc;
 * elsewhere (a preview on macOS) node's os module is the best there is.
 */
export async function readMachine(homeRoot: string): Promise<Pick<ServerHealth, "disk" | "memory" | "load" | "cpus">> {
	const [disk, memory] = await Promise.all([readDisk(homeRoot), readMemory()]);
	const [one = 0, five = 0, fifteen = 0] = loadavg();
	return { disk, memory, load: [one, five, fifteen], cpus: availableParallelism() };
}

/** Free is what the agent's user may still write (bavail), not the blocks kept for root. */
export async function readDisk(path: string): Promise<ServerHealth["disk"]> {
	const stats = await statfs(path);
	return { path, totalBytes: stats.blocks * stats.bsize, freeBytes: stats.bavail * stats.bsize };
}

async function readMemory(): Promise<ServerHealth["memory"]> {
	try {
		const parsed = parseMeminfo(await readFile("/proc/meminfo", "utf8"));
		if (parsed) return parsed;
	} catch {
		// no /proc: fall through
	}
	return { totalBytes: totalmem(), availableBytes: freemem() };
}

/**
 * MemTotal and MemAvailable from /proc/meminfo, in bytes. os.freemem() is MemFree,
 * which leaves out the page cache the kernel gives back on demand and so makes
 * every long-running server look full. Pure.
 */
export function parseMeminfo(text: string): ServerHealth["memory"] | null {
	const kib = (key: string) => {
		const match = new RegExp(`^${key}:\\s+(\\d+)\\s+kB`, "m").exec(text);
		return match ? Number(match[1]) * 1024 : null;
	};
	const totalBytes = kib("MemTotal");
	const availableBytes = kib("MemAvailable");
	return totalBytes !== null && availableBytes !== null ? { totalBytes, availableBytes } : null;
}
