import { readdir } from "node:fs/promises";
import type { ServerHealth } from "../../core/protocol/index.js";
import type { HasHome, HasProxy, HasSetup, HasSupervisor } from "../context/parts.js";
import type { Supervisor } from "../processes/supervisor.js";
import { readMachine } from "./machine.js";

/** Everything `status` reports, read now; nothing is started or changed. */
export async function collectHealth(agent: HasHome & HasSupervisor & HasProxy & HasSetup & { readonly version: string }): Promise<ServerHealth> {
	const [machine, apps, proxy] = await Promise.all([readMachine(agent.home.root), countApps(agent.home.apps), proxyHealth(agent)]);
	return {
		agent: {
			version: agent.version,
			node: process.version,
			pid: process.pid,
			uptimeSeconds: Math.round(process.uptime()),
			rssBytes: process.memoryUsage.rss(),
		},
		proxy,
		...machine,
		apps,
		instances: countInstances(agent.supervisor),
	};
}

async function proxyHealth(agent: HasProxy & HasSetup): Promise<ServerHealth["proxy"]> {
	if (!agent.setup || !agent.driver) return null;
	// A proxy that is still starting at daemon boot is not reported as down.
	await agent.proxyReady.catch(() => undefined);
	const health = await agent.driver.health();
	return { kind: agent.driver.kind, ...health };
}

/** Every app deployed here has a folder, live or not. */
async function countApps(appsDir: string): Promise<number> {
	const entries = await readdir(appsDir, { withFileTypes: true }).catch(() => []);
	return entries.filter((entry) => entry.isDirectory()).length;
}

function countInstances(supervisor: Supervisor): ServerHealth["instances"] {
	const counts = { total: 0, running: 0, crashed: 0 };
	for (const app of supervisor.appNames()) {
		for (const instance of supervisor.instancesOf(app)) {
			const status = supervisor.statusOf(instance);
			counts.total++;
			if (status === "running") counts.running++;
			else if (status === "crashed" || status === "backoff") counts.crashed++;
		}
	}
	return counts;
}
