import type { ServerStatus } from "../../core/api/index.js";
import { table } from "./human.js";

/** 512 B, 3.4 MB, 12.5 GB: one decimal, binary units, as `df -h` and `free -h` read. */
export function formatSize(bytes: number): string {
	const units = ["B", "kB", "MB", "GB", "TB"];
	let value = bytes;
	let unit = 0;
	while (value >= 1024 && unit < units.length - 1) {
		value /= 1024;
		unit++;
	}
	return unit === 0 ? `${value} ${units[0]}` : `${value.toFixed(1)} ${units[unit]}`;
}

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
