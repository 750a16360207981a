// Analytics. Two things, both only while the view is open:
// - the agent's kept metrics of the app (metrics.get: requests, status codes, latency
//   percentiles, bandwidth, CPU, memory, builds over 1h/24h/30d) and its alerts
//   (metrics.alerts), refreshed every REPORT_INTERVAL_MS; an alert that starts firing
//   while the view is open becomes a desktop notification;
// - a live CPU/memory chart per instance from instances.list every few seconds, kept
//   in the renderer only (the last few minutes, finer than the agent's 10 s buckets).
import { create } from "zustand";
import type { AlertRecord, AlertsResult, AppMetrics } from "../../../core/api/metrics.js";
import { bridge, type InstanceInfo, type ProjectInfo } from "../api/bridge.js";
import { type ErrorEnvelope, toEnvelope } from "../api/errors.js";
import { targetOf } from "./target.js";

export type { AlertRecord, AlertsResult, AppMetrics };

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
/** The agent's finest bucket is 10 s: asking more often shows nothing new. */
export const REPORT_INTERVAL_MS = 10_000;
export const RANGES = ["1h", "24h", "30d"] as const;
export type Range = (typeof RANGES)[number];

/** Adds one sampling to the series: instances that went away stop growing; new ones start. Pure. */
export function addSamples(series: Series[], instances: InstanceInfo[], at: number): Series[] {
	const byId = new Map(series.map((entry) => [entry.id, entry]));
	const next: Series[] = [];
	for (const instance of instances) {
		// A static site's row is the proxy's (issue 14): no process of the app, nothing to chart.
		if (instance.served) continue;
		const id = `${instance.process}:${instance.port}`;
		const previous = byId.get(id);
		const samples = [...(previous?.samples ?? []), { at, cpuPercent: instance.cpuPercent, memoryBytes: instance.memoryBytes }].slice(-MAX_SAMPLES);
		next.push({ id, process: instance.process, port: instance.port, status: instance.status, samples });
	}
	return next.sort((a, b) => a.id.localeCompare(b.id));
}

/** The identity of one transition: an alert that fires again later is a new one. */
const alertKey = (alert: AlertRecord) => `${alert.app}/${alert.kind}/${alert.at}`;

/** Firing alerts in `next` that were not firing in `previous`. Pure. */
export function newlyFiring(previous: AlertsResult | null, next: AlertsResult): AlertRecord[] {
	const known = new Set((previous?.firing ?? []).map(alertKey));
	return next.firing.filter((alert) => !known.has(alertKey(alert)));
}

export type Notifier = (title: string, body: string) => void;

/**
 * A desktop notification through the web Notification API: Electron shows it as a
 * system notification, a browser (`deploy ui`) when the user allowed it. Replaceable
 * for tests.
 */
let notifier: Notifier = (title, body) => {
	// Looked up on globalThis: the stores are also type-checked and tested outside a DOM.
	const WebNotification = (globalThis as { Notification?: WebNotificationClass }).Notification;
	if (WebNotification?.permission === "granted") new WebNotification(title, { body });
};

interface WebNotificationClass {
	readonly permission: string;
	new (title: string, options: { body: string }): unknown;
}

export function setNotifier(next: Notifier): void {
	notifier = next;
}

interface MetricsState {
	dir: string | null;
	series: Series[];
	sampling: boolean;
	error: ErrorEnvelope | null;
	range: Range;
	report: AppMetrics | null;
	alerts: AlertsResult | null;
	reportError: ErrorEnvelope | null;
	/** Samples now, then every `intervalMs` until stop(); a new start() replaces the old one. */
	start(project: ProjectInfo, intervalMs?: number, reportIntervalMs?: number): void;
	stop(): void;
	/** One sampling of the instances (what the timer calls). */
	sample(project: ProjectInfo): Promise<void>;
	/** Reads the kept metrics and the alerts once; notifies of alerts that started firing since the last read. */
	refresh(project: ProjectInfo): Promise<void>;
	setRange(project: ProjectInfo, range: Range): Promise<void>;
}

let timer: ReturnType<typeof setTimeout> | null = null;
let running = 0;

export const useMetrics = create<MetricsState>()((set, get) => ({
	dir: null,
	series: [],
	sampling: false,
	error: null,
	range: "1h",
	report: null,
	alerts: null,
	reportError: null,
	start(project, intervalMs = SAMPLE_INTERVAL_MS, reportIntervalMs = REPORT_INTERVAL_MS) {
		get().stop();
		const mine = ++running;
		set({ dir: project.dir, series: [], sampling: true, error: null, report: null, alerts: null, reportError: null });
		let reportedAt = Number.NEGATIVE_INFINITY;
		// The next round is scheduled after the previous answers: a slow server never piles calls up.
		const tick = async () => {
			const rounds: Promise<void>[] = [get().sample(project)];
			if (Date.now() - reportedAt >= reportIntervalMs) {
				reportedAt = Date.now();
				rounds.push(get().refresh(project));
			}
			await Promise.all(rounds);
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
	async refresh(project) {
		const range = get().range;
		try {
			const target = { ...targetOf(project), app: project.name };
			const [reports, alerts] = await Promise.all([bridge().call("metrics.get", { ...target, since: range }), bridge().call("metrics.alerts", { ...target, limit: 20 })]);
			if (get().dir !== project.dir || get().range !== range) return;
			const previous = get().alerts;
			set({ report: reports[0] ?? null, alerts, reportError: null });
			// The first read shows what already fires; only later starts are news.
			if (previous) for (const alert of newlyFiring(previous, alerts)) notifier(`${alert.app}: ${alert.kind} alert`, alert.message);
		} catch (error) {
			if (get().dir === project.dir) set({ reportError: toEnvelope(error) });
		}
	},
	async setRange(project, range) {
		set({ range, report: null });
		await get().refresh(project);
	},
}));
