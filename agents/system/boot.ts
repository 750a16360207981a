// The boot units: written, systemd told, enabled; and taken away by a purge.
import { existsSync } from "node:fs";
import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { AGENT_RUNTIME_LINK, RUNTIMES_DIR } from "../../core/protocol/runtime.js";
import type { BootState } from "../../core/protocol/system.js";
import { writeFileAtomic } from "../fs/atomic-write.js";
import type { AgentHome } from "../home.js";
import type { ProxyLaunch } from "../proxy/launch.js";
import { upstreamDnsLaunch } from "../proxy/caddy/upstream-dns/process.js";
import { AGENT_UNIT, isSystemHome, PROXY_UNIT, SYSTEM_HOME, systemctl, systemdState, UNIT_DIR, UPSTREAM_DNS_UNIT } from "./systemd.js";
import { renderAgentUnit, renderProxyUnit, renderUpstreamDnsUnit } from "./units.js";

const NOTHING_AT_BOOT = "nothing starts the agent, the proxy or the apps after a reboot until a deploy command reaches the server";

export async function installUnits(home: AgentHome, proxy: ProxyLaunch): Promise<BootState & { changed: boolean }> {
	const systemd = systemdState();
	if (!isSystemHome(home)) {
		return { systemd, units: [], changed: false, message: `this agent's home is ${home.root} (DEPLOY_AGENT_HOME), not ${SYSTEM_HOME}: boot units belong to the system install alone, so ${NOTHING_AT_BOOT}` };
	}
	if (systemd === "absent") return { systemd, units: [], changed: false, message: `systemd is not installed here: ${NOTHING_AT_BOOT}` };
	const node = join(home.root, RUNTIMES_DIR, AGENT_RUNTIME_LINK, "bin", "node");
	const bundle = join(home.root, "bin", "agent.mjs");
	const units = {
		// Only Caddy asks a resolver for its upstreams (agents/proxy/caddy/upstream-dns).
		...(proxy.name === "caddy" ? { [UPSTREAM_DNS_UNIT]: renderUpstreamDnsUnit(upstreamDnsLaunch([node, bundle], home.proxy)) } : {}),
		[PROXY_UNIT]: renderProxyUnit(proxy),
		[AGENT_UNIT]: renderAgentUnit({ node, bundle, home: home.root }),
	};
	let changed = false;
	for (const [name, text] of Object.entries(units)) {
		const path = join(UNIT_DIR, name);
		if ((await readFile(path, "utf8").catch(() => null)) === text) continue;
		await writeFileAtomic(path, text, 0o644);
		changed = true;
	}
	if (systemd === "running" && changed) await systemctl(["daemon-reload"]);
	const names = Object.keys(units);
	if (names.some((name) => !enabled(name))) {
		const result = await systemctl(["enable", ...names]);
		if (!result.ok || names.some((name) => !enabled(name))) {
			return { systemd, units: [], changed, message: `the units are written but \`systemctl enable ${names.join(" ")}\` failed (${result.output}): ${NOTHING_AT_BOOT}` };
		}
		changed = true;
	}
	const message =
		systemd === "running"
			? `${new Intl.ListFormat("en").format(names)} enabled: systemd starts the proxy, the agent and every live app at boot`
			: `${new Intl.ListFormat("en").format(names)} enabled, but systemd is not running here (a container or a chroot?): ${NOTHING_AT_BOOT}`;
	return { systemd, units: names, changed, message };
}

/** Disables and deletes our units; returns those it removed. */
export async function removeUnits(): Promise<string[]> {
	const names = [AGENT_UNIT, PROXY_UNIT, UPSTREAM_DNS_UNIT].filter((name) => existsSync(join(UNIT_DIR, name)));
	if (names.length === 0) return [];
	const state = systemdState();
	await systemctl(state === "running" ? ["disable", "--now", ...names] : ["disable", ...names]);
	for (const name of names) await rm(join(UNIT_DIR, name), { force: true });
	if (state === "running") await systemctl(["daemon-reload"]);
	return names;
}

/** For `deploy doctor`: which of our units start at boot, and whether systemd runs to start them. */
export function bootStatus(home: AgentHome): { systemd: "running" | "offline" | "absent"; units: string[]; otherHome: string | null } {
	return { systemd: systemdState(), units: [UPSTREAM_DNS_UNIT, PROXY_UNIT, AGENT_UNIT].filter((name) => isSystemHome(home) && enabled(name)), otherHome: isSystemHome(home) ? null : home.root };
}

/** `systemctl enable` links the unit from the .wants folder of its WantedBy target. */
function enabled(name: string): boolean {
	return existsSync(join(UNIT_DIR, "multi-user.target.wants", name));
}
