import { join } from "node:path";
import type { ServerSetup } from "../../core/protocol/index.js";
import { caddyPaths } from "./caddy/config.js";
import { traefikPaths } from "./traefik/config.js";

/**
 * How a proxy process starts: the same command line, folder and log whether the agent
 * spawns it (detached) or systemd does at boot (deploy-proxy.service is rendered from
 * this, agents/system/units.ts). Its variables live in `envFile` beside, read by both,
 * because they change with the setup after the unit was written.
 */
export interface ProxyLaunch {
	/** The name its process runs as, to tell a pid of ours from a recycled one. */
	name: "caddy" | "traefik" | "upstream-dns";
	binary: string;
	args: string[];
	cwd: string;
	/** Its stdout and stderr are appended here. */
	log: string;
	envFile: string;
	/** Where its pid is kept (Caddy writes it itself; Traefik's is written by whoever starts it). */
	pidFile: string;
	/** A file whose absence means there is nothing to serve yet (the unit's ConditionPathExists). */
	config: string;
}

export function proxyLaunch(name: ProxyLaunch["name"], binary: string, dir: string): ProxyLaunch {
	return name === "caddy" ? caddyLaunch(binary, dir) : traefikLaunch(binary, dir);
}

export function caddyLaunch(binary: string, dir: string): ProxyLaunch {
	const paths = caddyPaths(dir);
	return { name: "caddy", binary, args: ["run", "--config", paths.config, "--pidfile", paths.pid], cwd: dir, log: paths.log, envFile: join(dir, "proxy.env"), pidFile: paths.pid, config: paths.config };
}

export function traefikLaunch(binary: string, dir: string): ProxyLaunch {
	const paths = traefikPaths(dir);
	return { name: "traefik", binary, args: [`--configFile=${paths.static}`], cwd: dir, log: paths.log, envFile: join(dir, "proxy.env"), pidFile: paths.pid, config: paths.static };
}

/**
 * The proxy's variables. Caddy keeps its own state (autosave, instance id) under
 * XDG folders: pointed into the proxy folder, so nothing of ours lands in root's home.
 * Traefik's ACME client (lego) trusts a private CA's endpoint only through LEGO_CA_CERTIFICATES.
 */
export function proxyEnv(name: ProxyLaunch["name"], dir: string, setup: ServerSetup): Record<string, string> {
	if (name === "caddy") return { XDG_CONFIG_HOME: join(dir, "caddy-home", "config"), XDG_DATA_HOME: join(dir, "caddy-home", "data") };
	return setup.acme?.caRoot ? { LEGO_CA_CERTIFICATES: traefikPaths(dir).acmeCaRoot } : {};
}

/** KEY=value lines as systemd's EnvironmentFile reads them (our values are paths: no quotes needed, none allowed). */
export function renderEnvFile(env: Record<string, string>): string {
	return Object.entries(env)
		.map(([key, value]) => `${key}=${value}\n`)
		.join("");
}
