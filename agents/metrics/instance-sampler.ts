import type { Supervisor } from "../processes/supervisor.js";
import { CpuSampler, readProcSample, systemUptimeSeconds } from "../processes/usage.js";
import type { InstanceSample } from "./bucket.js";

/**
 * CPU and memory of every app's running instances, from /proc. Instances are named
 * by process and rank of port ("web.1", "web.2"), not by port: a redeploy's new
 * ports keep the same names, so series stay few and continuous. Its own CpuSampler,
 * so `deploy ps` and the autoscaler keep their own CPU intervals.
 */
export class InstanceSampler {
	readonly #cpu = new CpuSampler();

	constructor(readonly supervisor: Supervisor) {}

	sample(nowMs: number): Map<string, InstanceSample[]> {
		const uptime = systemUptimeSeconds();
		const byApp = new Map<string, InstanceSample[]>();
		for (const app of this.supervisor.appNames()) {
			const live = this.supervisor
				.instancesOf(app)
				.filter((instance) => this.supervisor.statusOf(instance) === "running" && instance.record.pid > 0)
				.sort((a, b) => a.record.process.localeCompare(b.record.process) || a.record.port - b.record.port);
			const rank = new Map<string, number>();
			const samples: InstanceSample[] = [];
			for (const instance of live) {
				const n = (rank.get(instance.record.process) ?? 0) + 1;
				rank.set(instance.record.process, n);
				const proc = readProcSample(instance.record.pid);
				if (!proc) continue;
				samples.push({ id: `${instance.record.process}.${n}`, cpuPercent: this.#cpu.sample(instance.record.pid, proc, uptime, nowMs), memoryBytes: proc.rssBytes });
			}
			if (samples.length) byApp.set(app, samples);
		}
		return byApp;
	}

	/** Instances the supervisor gave up on (crash loop), named like samples. */
	crashLooped(app: string): string[] {
		const byProcess = new Map<string, number>();
		const names: string[] = [];
		const instances = this.supervisor.instancesOf(app).sort((a, b) => a.record.process.localeCompare(b.record.process) || a.record.port - b.record.port);
		for (const instance of instances) {
			const n = (byProcess.get(instance.record.process) ?? 0) + 1;
			byProcess.set(instance.record.process, n);
			if (this.supervisor.statusOf(instance) === "crashed") names.push(`${instance.record.process}.${n}`);
		}
		return names;
	}
}
