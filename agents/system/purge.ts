// `agent.mjs system purge`: everything `servers add` put on the machine goes, in the
// order that keeps nothing coming back: the agent (which would restart apps), the
// apps and their users, the proxy, the units, the firewall openings, the packages it
// installed, and last the agent's home with every release, log and certificate in it.
import { rm } from "node:fs/promises";
import type { SystemPurgeResult } from "../../core/protocol/system.js";
import { stopAgent, stopApps } from "./stop-all.js";
import type { StepReporter } from "../deploy/steps.js";
import type { AgentHome } from "../home.js";
import { findProxyBinary } from "../proxy/binary.js";
import { proxyLaunch } from "../proxy/launch.js";
import { ProxyProcess } from "../proxy/proxy-process.js";
import { aptPurgeOnly } from "./apt.js";
import { removeUnits } from "./boot.js";
import { closePorts } from "./firewall.js";
import { readSystemRecord } from "./record.js";
import { removeAppUsers, removeInstanceFirewall } from "../isolation/purge.js";
import { isSystemHome, managedBySystemd, PROXY_UNIT, UPSTREAM_DNS_UNIT } from "./systemd.js";
import { UpstreamResolver } from "../proxy/caddy/upstream-dns/process.js";

export async function systemPurge(home: AgentHome, steps: StepReporter, log: (line: string) => void): Promise<SystemPurgeResult> {
	const record = await readSystemRecord(home);
	const removed: string[] = [];
	const kept: string[] = [];
	await steps.run("agent", () => stopAgent(home), () => "stopped");
	const stopped = await steps.run("purge", () => stopApps(home), (count) => `${count} app instance(s) stopped`);
	if (stopped > 0) removed.push(`${stopped} app instance(s)`);
	// Issue 13: the apps' users go once their processes have.
	const users = await steps.run("purge", () => removeAppUsers(home), (names) => (names.length > 0 ? `users ${names.join(", ")} removed` : "no app user to remove"));
	removed.push(...users.map((name) => `user ${name}`));
	const firewall = await removeInstanceFirewall(home, log);
	if (firewall) removed.push(`${firewall} rules for instance ports`);
	await steps.run("proxy", async () => {
		for (const name of ["caddy", "traefik"] as const) {
			const binary = record?.proxy.kind === name ? record.proxy.binary : ((await findProxyBinary(name, `${home.root}/bin`)) ?? name);
			await new ProxyProcess(proxyLaunch(name, binary, home.proxy), managedBySystemd(home, PROXY_UNIT)).stop();
		}
		// Caddy's upstream resolver: the agent's own file, whatever started it.
		await new UpstreamResolver(home.proxy, managedBySystemd(home, UPSTREAM_DNS_UNIT)).stop();
		if (record?.proxy.source === "found") kept.push(`${record.proxy.binary} (there before the agent: left as it was)`);
	}, () => "stopped");
	if (isSystemHome(home)) {
		const units = await steps.run("units", removeUnits, (names) => (names.length > 0 ? `removed ${names.join(", ")}` : "none installed"));
		removed.push(...units);
		if (record && record.firewall.opened.length > 0) {
			const closed = await steps.run("firewall", () => closePorts(record.firewall), (rules) => `${record.firewall.tool}: closed ${rules.join(", ")}`);
			removed.push(...closed.map((rule) => `${record.firewall.tool} rule ${rule}`));
		} else steps.skip("firewall", "no rule of ours to close");
		if (record && record.packages.length > 0) {
			const left = await steps.run("purge", () => aptPurgeOnly(record.packages, log), () => `packages ${record.packages.join(", ")}`);
			removed.push(...record.packages.filter((name) => !left.includes(name)).map((name) => `package ${name}`));
			kept.push(...left.map((name) => `package ${name} (other packages installed since depend on it)`));
			if (record.packages.includes("caddy")) kept.push("the caddy system user and group (Debian's package creates them and never removes them)");
		}
	}
	await rm(home.root, { recursive: true, force: true });
	removed.push(home.root);
	return { removed, kept };
}
