import type { InstanceInfo } from "../../core/protocol/index.js";
import { type Instance, running } from "./instance.js";
import type { Supervisor } from "./supervisor.js";
import { type CpuSampler, readProcSample, systemUptimeSeconds, TICKS_PER_SECOND } from "./usage.js";

/** One `ps` row per instance the supervisor holds, with CPU and memory read from /proc now. */
export function instanceInfos(supervisor: Supervisor, sampler: CpuSampler, app?: string): InstanceInfo[] {
	const uptime = systemUptimeSeconds();
	const apps = app ? [app] : supervisor.appNames().sort();
	const rows: InstanceInfo[] = [];
	for (const name of apps) {
		const instances = supervisor.instancesOf(name).sort((a, b) => a.record.process.localeCompare(b.record.process) || a.record.port - b.record.port);
		for (const instance of instances) rows.push(infoOf(supervisor, sampler, instance, uptime));
	}
	return rows;
}

function infoOf(supervisor: Supervisor, sampler: CpuSampler, instance: Instance, uptime: number | null): InstanceInfo {
	const { record } = instance;
	const status = supervisor.statusOf(instance);
	const alive = status !== "crashed" && status !== "backoff" && record.pid > 0 && running(instance);
	const sample = alive ? readProcSample(record.pid) : null;
	const uptimeSeconds = sample && uptime !== null ? Math.max(0, Math.round(uptime - sample.startTicks / TICKS_PER_SECOND)) : null;
	return {
		app: instance.app,
		process: record.process,
		deploymentId: record.deploymentId,
		status,
		pid: alive ? record.pid : null,
		port: record.port,
		startedAt: uptimeSeconds !== null ? new Date(Date.now() - uptimeSeconds * 1000).toISOString() : null,
		uptimeSeconds,
		restarts: record.restarts,
		cpuPercent: sample ? sampler.sample(record.pid, sample, uptime) : null,
		memoryBytes: sample?.rssBytes ?? null,
		...(record.message && status !== "running" ? { message: record.message } : {}),
		...(record.node ? { node: `v${record.node}` } : {}),
	};
}
