import type { InstanceInfo } from "../../core/protocol/index.js";
import type { HasHome, HasLog, HasProxy, HasSetup, HasSupervisor } from "../context/parts.js";
import { servedSite } from "../deploy/served-site.js";
import { metricsCollector } from "../metrics/collector.js";

/** The window of the request count a static site's row shows. */
const WINDOW_SECONDS = 3600;

/**
 * One `ps` row per static site the proxy serves (issue 14: `ps` said "No instances
 * run" while the site was live): the proxy in the place of a process, its HTTP port,
 * and the requests it logged for the site in the last hour (the metrics collector's
 * count of the access log, read up to now).
 */
export async function servedSiteRows(agent: HasHome & HasSupervisor & HasProxy & HasSetup & HasLog, app?: string): Promise<InstanceInfo[]> {
	const rows: InstanceInfo[] = [];
	for (const name of app ? [app] : agent.supervisor.appNames().sort()) {
		const served = await servedSite(agent, name);
		if (!served || !agent.setup) continue;
		const [report] = await metricsCollector(agent).query(name, WINDOW_SECONDS);
		rows.push({
			app: name,
			process: "web",
			deploymentId: served.deploymentId,
			status: "running",
			pid: null,
			port: agent.setup.httpPort,
			startedAt: null,
			uptimeSeconds: null,
			restarts: 0,
			cpuPercent: null,
			memoryBytes: null,
			served: { by: agent.setup.proxy, requests: report?.totals.requests ?? 0, windowSeconds: WINDOW_SECONDS },
		});
	}
	return rows;
}
