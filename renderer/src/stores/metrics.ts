// Analytics: what the agent measures today (CPU and memory per instance, from
// instances.list), sampled every few seconds while the view is open. The series are
// kept in the renderer only: a chart of the last few minutes, not a history.
import { create } from "zustand";
import { bridge, type InstanceInfo, type ProjectInfo } from "../api/bridge.js";
import { type ErrorEnvelope, toEnvelope } from "../api/errors.js";
import { targetOf } from "./target.js";

export interface Sample {
	/** Milliseconds since the epoch. */
	at: number;
	cpuPercent: number | null;
	memoryBytes: number | null;
}

export interface Series {
	/** "web:3001": an instance is a process on a port. */
	id: string;
	process: string;
	port: number;
	status: string;
	samples: Sample[];
}

/** Five minutes at the default interval. */
export const MAX_SAMPLES = 60;
export const SAMPLE_INTERVAL_MS = 5000;

/** Adds one sampling to the series: instances that went away stop growing; new ones start. Pure. */
export function addSamples(series: Series[], instances: InstanceInfo[], at: number): Series[] {
	const byId = new Map(series.map((entry) => [entry.id, entry]));
	const next: Series[] = [];
	for (const instance of instances) {
		const id = `${instance.process}:${instance.port}`;
		const previous = byId.get(id);
		const samples = [...(previous?.samples ?? []), { at, cpuPercent: instance.cpuPercent, memoryBytes: instance.memoryBytes }].slice(-MAX_SAMPLES);
		next.push({ id, process: instance.process, port: instance.port, status: instance.status, samples });
	}
	return next.sort((a, b) => a.id.localeCompare(b.id));
}

interface MetricsState {
	dir: string | null;
	series: Series[];
	sampling: boolean;
	error: ErrorEnvelope | null;
	/** Samples now, then every `intervalMs` until stop(); a new start() replaces the old one. */
	start(project: ProjectInfo, intervalMs?: number): void;
	stop(): void;
	/** One sampling (what the timer calls). */
	sample(project: ProjectInfo): Promise<void>;
}

let timer: ReturnType<typeof setTimeout> | null = null;
let running = 0;

export const useMetrics = create<MetricsState>()((set, get) => ({
	dir: null,
	series: [],
	sampling: false,
	error: null,
	start(project, intervalMs = SAMPLE_INTERVAL_MS) {
		get().stop();
		const mine = ++running;
		set({ dir: project.dir, series: [], sampling: true, error: null });
		// The next sample is scheduled after the previous answer: a slow server never piles calls up.
		const tick = async () => {
			await get().sample(project);
			if (mine === running) timer = setTimeout(tick, intervalMs);
		};
		void tick();
	},
	stop() {
		running++;
		if (timer) clearTimeout(timer);
		timer = null;
		set({ sampling: false });
	},
	async sample(project) {
		try {
			const instances = await bridge().call("instances.list", targetOf(project));
			if (get().dir === project.dir) set({ series: addSamples(get().series, instances, Date.now()), error: null });
		} catch (error) {
			if (get().dir === project.dir) set({ error: toEnvelope(error) });
		}
	},
}));
