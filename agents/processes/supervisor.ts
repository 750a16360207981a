import { readdir } from "node:fs/promises";
import { type AgentHome, appPaths } from "../home.js";
import { backoffMs, type Instance, launch, MAX_CRASHES, running, STABLE_MS, stopInstance } from "./instance.js";
import { type AppState, emptyState, type InstanceRecord, readAppState, writeAppState } from "./state.js";

interface AppEntry {
	state: AppState;
	instances: Instance[];
	writing: Promise<void>;
}

export type NewInstance = Omit<InstanceRecord, "pid" | "startTime" | "status" | "deploymentId">;

const DRAIN_MS = 2_000;
const POLL_MS = 2_000;

/**
 * Owns every app process the agent runs: starts them, restarts crashed ones with
 * backoff, adopts survivors after a daemon restart, drains old releases. It is also
 * the only writer of each app's state.json, so writes never race.
 */
export class Supervisor {
	private readonly apps = new Map<string, AppEntry>();
	private poller: NodeJS.Timeout | null = null;

	constructor(
		private readonly home: AgentHome,
		private readonly log: (line: string) => void,
	) {}

	/** After a daemon (re)start: keep what still runs, restart what died, stop half-finished work. */
	async adoptAll(): Promise<void> {
		const names = await readdir(this.home.apps).catch(() => [] as string[]);
		for (const app of names) {
			let state: AppState;
			try {
				state = await readAppState(appPaths(this.home, app).state);
			} catch (error) {
				this.log(`cannot adopt ${app}: ${(error as Error).message}`);
				continue;
			}
			const entry = this.entry(app, state);
			for (const record of state.instances) {
				const instance = this.track(app, record);
				if (record.status === "starting" || record.status === "draining") {
					void stopInstance(instance, 0).then(() => this.forget(instance));
				} else if (record.status === "running" && !running(instance)) {
					this.log(`${app}/${record.process}:${record.port} is gone; restarting it`);
					this.crashed(instance);
				}
			}
			this.persist(app, entry);
		}
		this.poller = setInterval(() => this.poll(), POLL_MS);
		this.poller.unref();
	}

	/** Starts the instances of a new deployment; they are not supervised until promote(). */
	async start(app: string, deploymentId: string, launches: NewInstance[]): Promise<Instance[]> {
		const entry = await this.load(app);
		const started: Instance[] = [];
		for (const spec of launches) {
			const instance = this.track(app, { ...spec, deploymentId, pid: 0, startTime: null, status: "starting" });
			launch(instance, this.logFile(app), (i) => this.exited(i));
			started.push(instance);
		}
		await this.persist(app, entry);
		return started;
	}

	/** Makes a deployment the live one: its instances supervised, the previous ones drained and stopped. */
	async promote(app: string, deploymentId: string): Promise<void> {
		const entry = await this.load(app);
		entry.state.live = deploymentId;
		const old: Instance[] = [];
		for (const instance of entry.instances) {
			if (instance.record.deploymentId === deploymentId) {
				instance.record.status = "running";
				if (!running(instance)) this.crashed(instance);
			} else if (instance.record.status !== "draining") {
				instance.record.status = "draining";
				old.push(instance);
			}
		}
		await this.persist(app, entry);
		for (const instance of old) void stopInstance(instance, DRAIN_MS).then(() => this.forget(instance));
	}

	/** Stops the instances of a deployment that failed; the live one is not touched. */
	async discard(app: string, deploymentId: string): Promise<void> {
		const entry = await this.load(app);
		const doomed = entry.instances.filter((i) => i.record.deploymentId === deploymentId && entry.state.live !== deploymentId);
		for (const instance of doomed) instance.stopping = true;
		await Promise.all(doomed.map((instance) => stopInstance(instance, 0, 2_000)));
		for (const instance of doomed) this.forget(instance);
		await entry.writing;
	}

	/** Deployments whose instances run (or are kept for restart): their release folders must stay. */
	deploymentsInUse(app: string): Set<string> {
		return new Set((this.apps.get(app)?.instances ?? []).map((i) => i.record.deploymentId));
	}

	live(app: string): string | null {
		return this.apps.get(app)?.state.live ?? null;
	}

	stopWatching(): void {
		if (this.poller) clearInterval(this.poller);
		for (const entry of this.apps.values()) for (const i of entry.instances) if (i.timer) clearTimeout(i.timer);
	}

	private exited(instance: Instance): void {
		if (instance.stopping || instance.record.status !== "running") return;
		const { code, signal } = instance.exit ?? { code: null, signal: null };
		this.log(`${instance.app}/${instance.record.process}:${instance.record.port} exited (${signal ?? `code ${code}`})`);
		this.crashed(instance);
	}

	private crashed(instance: Instance): void {
		if (Date.now() - instance.startedAt >= STABLE_MS) instance.crashes = 0;
		instance.crashes += 1;
		const entry = this.apps.get(instance.app);
		if (instance.crashes >= MAX_CRASHES) {
			instance.record.status = "crashed";
			this.log(`${instance.app}/${instance.record.process}:${instance.record.port} crashed ${instance.crashes} times in a row; giving up`);
			if (entry) void this.persist(instance.app, entry);
			return;
		}
		const delay = backoffMs(instance.crashes);
		instance.timer = setTimeout(() => {
			instance.timer = null;
			if (instance.stopping) return;
			try {
				launch(instance, this.logFile(instance.app), (i) => this.exited(i));
			} catch (error) {
				this.log(`cannot restart ${instance.app}/${instance.record.process}: ${(error as Error).message}`);
				return this.crashed(instance);
			}
			if (entry) void this.persist(instance.app, entry);
		}, delay);
		instance.timer.unref();
	}

	/** Adopted instances have no child handle: notice their end by looking. */
	private poll(): void {
		for (const entry of this.apps.values()) {
			for (const instance of entry.instances) {
				if (instance.child || instance.timer || instance.stopping || instance.record.status !== "running") continue;
				if (!running(instance)) {
					this.log(`${instance.app}/${instance.record.process}:${instance.record.port} is gone; restarting it`);
					this.crashed(instance);
				}
			}
		}
	}

	private track(app: string, record: InstanceRecord): Instance {
		const entry = this.apps.get(app) ?? this.entry(app, emptyState());
		const instance: Instance = { app, record, child: null, exit: null, crashes: 0, startedAt: 0, stopping: false, timer: null };
		if (!entry.state.instances.includes(record)) entry.state.instances.push(record);
		entry.instances.push(instance);
		return instance;
	}

	private forget(instance: Instance): void {
		const entry = this.apps.get(instance.app);
		if (!entry) return;
		entry.instances = entry.instances.filter((i) => i !== instance);
		entry.state.instances = entry.state.instances.filter((r) => r !== instance.record);
		void this.persist(instance.app, entry);
	}

	private entry(app: string, state: AppState): AppEntry {
		const entry: AppEntry = { state, instances: [], writing: Promise.resolve() };
		this.apps.set(app, entry);
		return entry;
	}

	private async load(app: string): Promise<AppEntry> {
		const known = this.apps.get(app);
		if (known) return known;
		const state = await readAppState(appPaths(this.home, app).state);
		return this.apps.get(app) ?? this.entry(app, state);
	}

	private logFile(app: string): string {
		return appPaths(this.home, app).appLog;
	}

	/** Writes are chained per app; each writes the state as it is when its turn comes. */
	private persist(app: string, entry: AppEntry): Promise<void> {
		entry.writing = entry.writing
			.then(() => writeAppState(appPaths(this.home, app).state, entry.state))
			.catch((error) => this.log(`cannot write state of ${app}: ${(error as Error).message}`));
		return entry.writing;
	}
}
