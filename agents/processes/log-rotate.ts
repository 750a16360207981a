import { copyFile, open, rename, rm, stat, truncate } from "node:fs/promises";
import { rotatedFiles } from "./app-log-query.js";

const DAY_MS = 86_400_000;

/** How long rotated app logs are kept (DEPLOY_AGENT_LOG_RETENTION_DAYS, default 30). */
export function logRetentionMs(env: NodeJS.ProcessEnv = process.env): number {
	const days = Number(env.DEPLOY_AGENT_LOG_RETENTION_DAYS);
	return (Number.isFinite(days) && days > 0 ? days : 30) * DAY_MS;
}

/**
 * Deletes rotated files last written longer ago than `maxAgeMs`: the retention. The
 * total stays bounded by the rotation itself, at most (keep + 1) x maxBytes per app.
 */
export async function pruneExpired(path: string, maxAgeMs: number, now = Date.now()): Promise<string[]> {
	const removed: string[] = [];
	for (const file of await rotatedFiles(path)) {
		const info = await stat(file).catch(() => null);
		if (info && now - info.mtimeMs > maxAgeMs) {
			await rm(file, { force: true });
			removed.push(file);
		}
	}
	return removed;
}

/**
 * Rotates an app log by copy-truncate, the way logrotate's `copytruncate` does. The
 * apps write to app.log through file descriptors they own (opened O_APPEND), which
 * must outlive the agent, so the agent cannot make them reopen a new file. Copying
 * and then truncating keeps their descriptors valid, and O_APPEND puts their next
 * write at the new end (no hole). The copy catches up with what was appended while
 * it ran, until the file stops growing, and the truncate follows at once: only a line
 * written in that last instant could be lost.
 *
 * app.log.1 is the newest rotated file, app.log.<keep> the oldest; older ones go, and
 * so do rotated files past the retention (checked on the same timer).
 */
export async function rotateIfLarge(path: string, maxBytes: number, keep: number, maxAgeMs = logRetentionMs()): Promise<boolean> {
	await pruneExpired(path, maxAgeMs);
	const size = await stat(path).then((s) => s.size, () => 0);
	if (size < maxBytes) return false;
	await rm(`${path}.${keep}`, { force: true });
	for (let i = keep - 1; i >= 1; i--) await rename(`${path}.${i}`, `${path}.${i + 1}`).catch(() => undefined);
	await copyFile(path, `${path}.1`);
	await catchUp(path, `${path}.1`);
	await truncate(path, 0);
	return true;
}

/** Appends to `copy` whatever `path` gained beyond it while the copy ran. */
async function catchUp(path: string, copy: string): Promise<void> {
	const source = await open(path, "r");
	const target = await open(copy, "a");
	try {
		let position = (await target.stat()).size;
		for (let round = 0; round < 10; round++) {
			const { size } = await source.stat();
			if (size <= position) return;
			const buffer = Buffer.alloc(size - position);
			const { bytesRead } = await source.read(buffer, 0, buffer.length, position);
			await target.write(buffer.subarray(0, bytesRead));
			position += bytesRead;
		}
	} finally {
		await source.close();
		await target.close();
	}
}
