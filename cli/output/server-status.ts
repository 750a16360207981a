import { formatSize } from "../../core/protocol/size.js";
import type { ServerStatus } from "../../core/api/index.js";
import { table } from "./human.js";

const header = ["SERVER", "STATE", "AGENT", "PROXY", "DISK FREE", "MEMORY AVAILABLE", "LOAD", "APPS"];

/**
 * One row per server for `deploy servers status`. An unreachable server's last cell
 * is why, so the row still says what to do. Pure: tested by exact equality.
 */
export function serverStatusRow(status: ServerStatus): string[] {
	const { health } = status;
	if (!status.reachable || !health) {
		const why = status.error ? `${status.error.message}${status.error.hint ? ` (${status.error.hint})` : ""}` : "";
		return [status.name, "unreachable", "-", "-", "-", "-", "-", why];
	}
	const proxy = health.proxy ? `${health.proxy.kind} ${health.proxy.running ? "running" : "NOT RUNNING"}` : "not set up";
	const { running, crashed, total } = health.instances;
	const instances = `${running}/${total} instance${total === 1 ? "" : "s"} running${crashed > 0 ? `, ${crashed} crashed` : ""}`;
	return [
		status.name,
		"reachable",
		health.agent.version.slice(0, 12),
		proxy,
		`${formatSize(health.disk.freeBytes)} of ${formatSize(health.disk.totalBytes)}`,
		`${formatSize(health.memory.availableBytes)} of ${formatSize(health.memory.totalBytes)}`,
		`${health.load[0].toFixed(2)} on ${health.cpus} CPU${health.cpus === 1 ? "" : "s"}`,
		`${health.apps} app${health.apps === 1 ? "" : "s"}, ${instances}`,
	];
}

export function serverStatusTable(statuses: readonly ServerStatus[]): string {
	return table(statuses.map(serverStatusRow), header);
}
