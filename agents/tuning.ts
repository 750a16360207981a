import { totalmem } from "node:os";

/** The largest uploaded file, inflated, unless DEPLOY_AGENT_MAX_OBJECT_MB says otherwise. */
export const DEFAULT_MAX_OBJECT_BYTES = 512 * 1024 * 1024;

/**
 * The agent's supervision knobs, read once from the environment. Defaults suit a
 * server; tests shrink them (a 100 ms restart base, a 64 KB log limit) so a crash loop
 * or a rotation takes a second instead of minutes.
 */
export interface Tuning {
	/** First restart delay after a crash; it doubles per crash in a row (DEPLOY_AGENT_RESTART_BASE_MS). */
	restartBaseMs: number;
	/** App log size that triggers a rotation (DEPLOY_AGENT_LOG_MAX_BYTES, default 10 MB). */
	logMaxBytes: number;
	/** Rotated files kept beside app.log: app.log.1 .. app.log.N (DEPLOY_AGENT_LOG_KEEP, default 3). */
	logKeep: number;
	/** How often log sizes are looked at (DEPLOY_AGENT_LOG_CHECK_MS, default 5 s). */
	logCheckMs: number;
	/** After a switch, how long old instances still get no SIGTERM so proxied requests in flight finish (DEPLOY_AGENT_SETTLE_MS). */
	settleMs: number;
	/** Dependency + build cache size before LRU eviction (DEPLOY_AGENT_CACHE_MAX_BYTES, default 2 GiB). */
	cacheMaxBytes: number;
	/** Installs and builds that run at once, across apps (DEPLOY_AGENT_BUILD_CONCURRENCY, default 2). */
	buildConcurrency: number;
	/** Memory a build may use, in MiB (DEPLOY_AGENT_BUILD_MEMORY_MB, default: half of the RAM, at least 512). */
	buildMemoryMb: number;
	/** Files one deploy may have (DEPLOY_AGENT_MAX_FILES, default 100,000): each is an inode in the release and a path in every manifest. */
	maxFiles: number;
	/** The largest file an upload may bring (DEPLOY_AGENT_MAX_OBJECT_MB, default 512 MiB). Large files are streamed to disk in chunks, so this bounds the disk an upload takes, not the daemon's memory. */
	maxObjectBytes: number;
	/** Unused uploaded objects younger than this are not collected (DEPLOY_AGENT_OBJECT_GRACE_SECONDS, default 10 min). */
	objectGraceMs: number;
	/** Issue 17, item 5: a large file uploaded over the HTTPS API, unfinished and sent no chunk for this long, is dropped with its temp file (DEPLOY_AGENT_UPLOAD_IDLE_SECONDS, default 10 min). */
	uploadIdleMs: number;
}

export function tuningFromEnv(env: NodeJS.ProcessEnv = process.env): Tuning {
	const num = (name: string, fallback: number, min: number) => {
		const value = Number(env[name]);
		return Number.isFinite(value) && value >= min ? value : fallback;
	};
	return {
		restartBaseMs: num("DEPLOY_AGENT_RESTART_BASE_MS", 1_000, 10),
		logMaxBytes: num("DEPLOY_AGENT_LOG_MAX_BYTES", 10 * 1024 * 1024, 1024),
		logKeep: num("DEPLOY_AGENT_LOG_KEEP", 3, 1),
		logCheckMs: num("DEPLOY_AGENT_LOG_CHECK_MS", 5_000, 100),
		settleMs: num("DEPLOY_AGENT_SETTLE_MS", 1_000, 0),
		cacheMaxBytes: num("DEPLOY_AGENT_CACHE_MAX_BYTES", 2 * 1024 ** 3, 0),
		buildConcurrency: num("DEPLOY_AGENT_BUILD_CONCURRENCY", 2, 1),
		buildMemoryMb: num("DEPLOY_AGENT_BUILD_MEMORY_MB", Math.max(512, Math.floor(totalmem() / 1024 ** 2 / 2)), 64),
		maxFiles: Math.floor(num("DEPLOY_AGENT_MAX_FILES", 100_000, 1)),
		maxObjectBytes: num("DEPLOY_AGENT_MAX_OBJECT_MB", DEFAULT_MAX_OBJECT_BYTES / 1024 / 1024, 1) * 1024 * 1024,
		objectGraceMs: num("DEPLOY_AGENT_OBJECT_GRACE_SECONDS", 600, 0) * 1000,
		uploadIdleMs: num("DEPLOY_AGENT_UPLOAD_IDLE_SECONDS", 600, 0.01) * 1000,
	};
}
