// `agent.mjs system undo` (issue 14): a `servers add` that failed on a server it was
// setting up for the first time takes back what would keep running: the agent daemon
// it started, the proxy and Caddy's upstream resolver, the boot units that would start
// them again at boot, and the setup that names the proxy. Files stay (the runtime, the
// bundle, the proxy's binary), so running `servers add` again is quick; `system purge`
// is what removes everything.
import { rm } from "node:fs/promises";
import type { SystemUndoResult } from "../../core/protocol/system.js";
import { stopAgent } from "./stop-all.js";
import type { StepReporter } from "../deploy/steps.js";
import type { AgentHome } from "../home.js";
import { findProxyBinary } from "../proxy/binary.js";
import { proxyLaunch } from "../proxy/launch.js";
import { agentCommand, upstreamDnsLaunch } from "../proxy/caddy/upstream-dns/process.js";
import { ProxyProcess } from "../proxy/proxy-process.js";
import { removeUnits } from "./boot.js";
import { readSystemRecord } from "./record.js";
import { isSystemHome, managedBySystemd, PROXY_UNIT, UPSTREAM_DNS_UNIT } from "./systemd.js";

export async function systemUndo(home: AgentHome, steps: StepReporter): Promise<SystemUndoResult> {
	const undone: string[] = [];
	return steps.run(
		"undo",
		async () => {
			if (await stopAgent(home)) undone.push("stopped the agent daemon");
			undone.push(...(await stopProxies(home)));
			// Units first disabled (`disable --now`), so systemd does not start either again.
			if (isSystemHome(home)) for (const unit of await removeUnits()) undone.push(`removed ${unit}`);
			await rm(home.serverJson, { force: true });
			return { undone };
		},
		(result) => (result.undone.length > 0 ? result.undone.join(", ") : "nothing was running"),
	);
}

/** Our proxy process (its command line names this home), whichever kind ran, and Caddy's resolver: what ran, for the message. */
async function stopProxies(home: AgentHome): Promise<string[]> {
	const record = await readSystemRecord(home).catch(() => null);
	const processes: [string, ProxyProcess][] = [];
	for (const name of ["caddy", "traefik"] as const) {
		const binary = record?.proxy.kind === name ? record.proxy.binary : ((await findProxyBinary(name, `${home.root}/bin`)) ?? name);
		processes.push([`the proxy (${name})`, new ProxyProcess(proxyLaunch(name, binary, home.proxy), managedBySystemd(home, PROXY_UNIT))]);
	}
	// Caddy's upstream resolver outlives the agent as the proxy does, whatever started it.
	processes.push(["Caddy's upstream resolver", new ProxyProcess(upstreamDnsLaunch(agentCommand(), home.proxy), managedBySystemd(home, UPSTREAM_DNS_UNIT), UPSTREAM_DNS_UNIT)]);
	const stopped: string[] = [];
	for (const [what, process] of processes) {
		if ((await process.running()) === null) continue;
		await process.stop();
		stopped.push(`stopped ${what}`);
	}
	return stopped;
}
