import type { InstanceInfo } from "../../core/api/index.js";
import { formatSize } from "../../core/protocol/size.js";
import { formatUptime, table } from "../output/human.js";
import { runCommand } from "../output/run.js";
import { scalingLines } from "../output/scaling.js";

interface PsOptions {
	json?: boolean;
	app?: string;
	server?: string;
}

/** `deploy ps`: one row per instance; one JSON array with --json. */
export async function psCommand(options: PsOptions): Promise<void> {
	await runCommand(options, async (context) => {
		const instances = await context.api.instances.list({ ...(options.app ? { app: options.app } : {}), ...(options.server ? { server: options.server } : {}) });
		context.print(instances, () => (instances.length === 0 ? "No instances run. Run `deploy` in the app's folder." : [psTable(instances), ...processLines(instances)].join("\n")));
	});
}

/** The APP column only when several apps are listed: in an app's folder it says nothing new. */
export function psTable(instances: InstanceInfo[]): string {
	const apps = new Set(instances.map((i) => i.app)).size > 1;
	const header = ["PROCESS", "STATUS", "PID", "PORT", "UPTIME", "RESTARTS", "CPU", "MEMORY", "NODE", "DEPLOYMENT", "MESSAGE"];
	const rows = instances.map((i) => (i.served ? servedRow(i, i.served) : instanceRow(i)));
	return apps ? table(rows.map((row, n) => [instances[n]!.app, ...row]), ["APP", ...header]) : table(rows, header);
}

function instanceRow(i: InstanceInfo): string[] {
	return [
		i.process,
		i.status,
		i.pid === null ? "-" : String(i.pid),
		String(i.port),
		i.uptimeSeconds === null ? "-" : formatUptime(i.uptimeSeconds),
		String(i.restarts),
		i.cpuPercent === null ? "-" : `${i.cpuPercent.toFixed(1)}%`,
		i.memoryBytes === null ? "-" : formatSize(i.memoryBytes),
		i.node ?? "-",
		i.deploymentId,
		i.message ?? "",
	];
}

/** Issue 14: a static site the proxy serves is the proxy's: its port, and the requests it logged for the site. */
function servedRow(i: InstanceInfo, served: NonNullable<InstanceInfo["served"]>): string[] {
	const window = served.windowSeconds === 3600 ? "last hour" : `last ${formatUptime(served.windowSeconds)}`;
	const requests = `${served.requests} request${served.requests === 1 ? "" : "s"}`;
	return [i.process, "static", "-", String(i.port), "-", "-", "-", "-", "-", i.deploymentId, `served by ${served.by}, ${requests} (${window})`];
}

/** Issue 7: under the table, a line per process with autoscale or limits: its bounds and its last decision with why. */
function processLines(instances: InstanceInfo[]): string[] {
	const byProcess = new Map(instances.flatMap((i) => (i.scaling ? [[`${i.app}/${i.process}`, i.scaling] as const] : [])));
	const lines = scalingLines([...byProcess.values()]);
	return lines.length > 0 ? ["", ...lines] : [];
}
