import { join } from "node:path";

/**
 * The environment user commands start from: the daemon's own, minus npm_* variables.
 * Those leak in when the agent was started through npm, and would make the user's
 * npm read the wrong config (installs then fail with SELF_SIGNED_CERT_IN_CHAIN).
 */
export function baseEnv(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
	const clean: Record<string, string> = {};
	for (const [key, value] of Object.entries(env)) {
		if (value !== undefined && !/^npm_/i.test(key)) clean[key] = value;
	}
	return clean;
}

/**
 * An app instance's environment: the release's node_modules/.bin first on PATH, so a
 * start script runs without npm, then its Node.js runtime's bin (issue 12). HOST says
 * where to listen (issue 13): on loopback only, where the proxy reaches it and nothing
 * from outside does; it wins over deploy.yaml's env, as PORT does.
 */
export function instanceEnv(releaseDir: string, appEnv: Record<string, string>, port: number, nodeBin?: string): Record<string, string> {
	const base = baseEnv();
	const path = [join(releaseDir, "node_modules", ".bin"), ...(nodeBin ? [nodeBin] : []), appEnv.PATH ?? base.PATH ?? "/usr/local/bin:/usr/bin:/bin"].join(":");
	return { ...base, NODE_ENV: "production", ...appEnv, PATH: path, PORT: String(port), HOST: INSTANCE_HOST };
}

/** The address instances listen on: the proxy's upstreams and the health check use it too. */
export const INSTANCE_HOST = "127.0.0.1";
