import { join } from "node:path";

/** The access log's logger: Caddy names a server's access logs `http.log.access.<name>`. */
export const ACCESS_LOGGER = "deploy_access";

/** One JSON line per request, in the proxy folder (Traefik's static config names the same file). */
export function accessLogPath(dir: string): string {
	return join(dir, "access.log");
}

/**
 * Adds JSON access logs to a rendered Caddy config: `logs` on every HTTP server and a
 * `logging.logs` entry writing them to <dir>/access.log, kept out of Caddy's own log
 * (caddy.log). Caddy rolls the file at 20 MB and keeps one old file; the agent's
 * metrics reader follows the roll (agents/metrics/log-follower.ts). Pure.
 */
export function withAccessLog<T extends { apps?: { http?: { servers?: Record<string, object> } } }>(dir: string, config: T): T & { logging: object } {
	const http = config.apps?.http;
	const servers = Object.fromEntries(Object.entries(http?.servers ?? {}).map(([name, server]) => [name, { ...server, logs: { default_logger_name: ACCESS_LOGGER } }]));
	const logger = `http.log.access.${ACCESS_LOGGER}`;
	return {
		...config,
		...(http ? { apps: { ...config.apps, http: { ...http, servers } } } : {}),
		logging: {
			logs: {
				default: { exclude: [logger] },
				[ACCESS_LOGGER]: {
					writer: { output: "file", filename: accessLogPath(dir), roll_size_mb: 20, roll_keep: 1, roll_keep_days: 30 },
					encoder: { format: "json" },
					include: [logger],
				},
			},
		},
	};
}
