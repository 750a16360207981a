import { existsSync } from "node:fs";
import { join } from "node:path";
import { execFile } from "node:child_process";
import type { AgentHome } from "../home.js";

export const AGENT_UNIT = "deploy-agent.service";
export const PROXY_UNIT = "deploy-proxy.service";
/** Caddy's upstream resolver (agents/proxy/caddy/upstream-dns): started before the proxy, with it. */
export const UPSTREAM_DNS_UNIT = "deploy-upstreams.service";
export const UNIT_DIR = "/etc/systemd/system";

/** The home a system install lives in: units, the proxy on 80/443 and the firewall belong to it alone. */
export const SYSTEM_HOME = "/var/lib/deploy";

/**
 * Whether this agent is the machine's own install. An agent with another home
 * (DEPLOY_AGENT_HOME: a second agent on one machine, as every test server is) never
 * installs units or touches the machine's services: their names are global.
 */
export function isSystemHome(home: AgentHome): boolean {
	return home.root === SYSTEM_HOME;
}

/** sd_booted(): systemd is PID 1 when this folder exists. */
export function systemdRunning(): boolean {
	return existsSync("/run/systemd/system");
}

/** running, offline (installed, not PID 1: a container, a chroot), or absent. */
export function systemdState(): "running" | "offline" | "absent" {
	if (systemdRunning()) return "running";
	return ["/usr/bin/systemctl", "/bin/systemctl"].some((path) => existsSync(path)) ? "offline" : "absent";
}

/** True when systemd starts and stops `unit` here: it runs, and the unit is ours and installed. */
export function managedBySystemd(home: AgentHome, unit: string): boolean {
	return isSystemHome(home) && systemdRunning() && existsSync(join(UNIT_DIR, unit));
}

/** node:child_process, not execa: the bridge imports this, and starts on every command. */
export function systemctl(args: string[]): Promise<{ ok: boolean; output: string }> {
	return new Promise((resolve) => {
		execFile("systemctl", args, { timeout: 60_000 }, (error, stdout, stderr) => resolve({ ok: !error, output: `${stdout}${stderr}`.trim() }));
	});
}

/** The unit's main pid as systemd knows it; null when it does not run. */
export async function mainPid(unit: string): Promise<number | null> {
	const { ok, output } = await systemctl(["show", "--property=MainPID", "--value", unit]);
	const pid = Number.parseInt(output, 10);
	return ok && pid > 0 ? pid : null;
}
