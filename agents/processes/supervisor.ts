import { readdir } from "node:fs/promises";
import { DeployError, type DeployEvent, type InstanceStatus } from "../../core/protocol/index.js";
import { type AgentHome, appPaths } from "../home.js";
import type { Tuning } from "../tuning.js";
import { type CrashPolicy, decideAfterCrash, defaultCrashPolicy } from "./crash-policy.js";
import { describeExit, type Instance, launch, running, stopInstance } from "./instance.js";
import { rotateIfLarge } from "./log-rotate.js";
import { type AppState, emptyState, type InstanceRecord, readAppState, writeAppState } from "./state.js";
import { releaseProcesses, stopGroups, untrackedGroups } from "./untracked.js";

interface AppEntry {
	state: AppState;
	instances: Instance[];
	writing: Promise<void>;
}

export type NewInstance = Omit<InstanceRecord, "pid" | "startTime" | "status" | "deploymentId" | "restarts" | "message">;
export type InstanceEvent = Extract<DeployEvent, { type: "instance" }>;

/** Adopted instances have no child handle: their end is noticed by looking this often. */
const POLL_MS = 2_000;
/** How long an untracked instance gets between SIGTERM and SIGKILL: its own drainSeconds went with its record. */
const UNTRACKED_GRACE_MS = 10_000;

/**
 * Owns every app process the agent runs: starts them, restarts crashed ones with
 * backoff, adopts survivors after a daemon restart, drains old ones, rotates their
 * log. It is also the only writer of each app's state.json, so writes never race.
 * What it does is told as `instance` events (the `events` method streams them).
 */
export class Supervisor {
	private readonly apps = new Map<string, AppEntry>();
	private readonly listeners = new Set<(event: InstanceEvent) => void>();
	private readonly policy: CrashPolicy;
	private timers: NodeJS.Timeout[] = [];
	/** Live instances that were not running when the daemon started: boot recovery replaces them (agents/deploy/recover.ts) or relaunches them. */
	private readonly gone = new Set<Instance>();

	constructor(
		private readonly home: AgentHome,
		private readonly log: (line: string) => void,
		private readonly tuning: Tuning,
		/** Issue 12: the bin folder of a managed Node.js version. */
		private readonly nodeBin: (version: string) => string,
	) {
		this.policy = defaultCrashPolicy(tuning.restartBaseMs);
	}

	onEvent(listener: (event: InstanceEvent) => void): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}

	/**
	 * After a daemon (re)start: keep what still runs (same pid and start time), stop
	 * instances of a deploy that never switched. What died is left to boot recovery when
	 * it is of the live release (goneAtStart), else restarted; instances of a release
	 * that is no longer live are drained once the route is reconciled.
	 */
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
					void this.stopAndForget(instance, 0);
				} else if (record.status === "running" && !running(instance)) {
					if (record.deploymentId === state.live) this.gone.add(instance);
					else this.relaunchGone(instance);
				} else if (record.status === "running") {
					this.emit(instance, "running", "adopted after an agent restart");
				}
			}
			await this.persistInBackground(app, entry);
		}
		this.timers.push(setInterval(() => this.poll(), POLL_MS), setInterval(() => void this.rotateLogs(), this.tuning.logCheckMs));
		for (const timer of this.timers) timer.unref();
	}

	/** The app's live instances that were gone when the daemon started and that boot recovery has not replaced yet. */
	goneAtStart(app: string): Instance[] {
		return this.instancesOf(app).filter((i) => this.gone.has(i));
	}

	/**
	 * Where boot recovery cannot replace them (no proxy, no release spec, a start that
	 * fails), the gone instances (of `app`, or all) start again on their own ports.
	 */
	relaunchGoneAtStart(app?: string): void {
		for (const instance of [...this.gone]) {
			if (app !== undefined && instance.app !== app) continue;
			this.gone.delete(instance);
			this.relaunchGone(instance);
		}
	}

	/** Starts new instances (of a deployment, or added by a scale); they get no restarts until made live. */
	async start(app: string, deploymentId: string, launches: NewInstance[]): Promise<Instance[]> {
		const entry = await this.load(app);
		const started: Instance[] = [];
		for (const spec of launches) {
			const instance = this.track(app, { ...spec, deploymentId, pid: 0, startTime: null, status: "starting", restarts: 0 });
			this.launch(instance);
			this.emit(instance, "starting");
			started.push(instance);
		}
		await this.persist(app, entry);
		return started;
	}

	/**
	 * The commit point of a switch: state.json says `deploymentId` is live and its
	 * started instances are supervised. Old instances keep running until drained, so a
	 * crash right after this leaves both, and the restarted daemon routes to the live one.
	 */
	async commitLive(app: string, deploymentId: string | null, instances: Instance[] = []): Promise<void> {
		const entry = await this.load(app);
		const previous = entry.state.live;
		entry.state.live = deploymentId;
		for (const instance of instances) this.supervise(instance);
		try {
			await this.persist(app, entry);
		} catch (error) {
			// Not written is not committed: the old release stays live, here as on disk.
			entry.state.live = previous;
			// Its instances are the caller's to discard (they are not of the live release).
			throw new DeployError("STATE_WRITE_FAILED", `Cannot record the live release of ${app}: ${(error as Error).message}`, "The previous release stays live. Check the server's disk (deploy doctor) and deploy again.");
		}
	}

	/** Makes started instances (a scale up) supervised members of the live release. */
	async admit(app: string, instances: Instance[]): Promise<void> {
		const entry = await this.load(app);
		for (const instance of instances) this.supervise(instance);
		await this.persist(app, entry);
	}

	/**
	 * Drains every instance not of `keep` (the previous release, strays); resolves when
	 * all are stopped. Instance processes of other releases that nothing tracks (issue 13:
	 * a state.json lost, agents/processes/untracked.ts) stop with them.
	 */
	async drainOthers(app: string, keep: string | null): Promise<number> {
		const entry = await this.load(app);
		// The instances of this moment: the caller's lock ends with its answer, and a next deploy may start some while /proc is read.
		const others = this.othersThan(app, keep);
		const found = await releaseProcesses(appPaths(this.home, app).releases);
		// Tracked as they are once /proc is read: an instance is tracked from its spawn on.
		const untracked = untrackedGroups(found, new Set(entry.instances.map((i) => i.record.pid)), keep);
		if (untracked.length > 0) this.log(`${app}: stopping ${untracked.length} untracked instance process group(s) of ${[...new Set(untracked.map((u) => u.release))].join(", ")} (no state.json listed them)`);
		const [drained] = await Promise.all([
			this.drain(app, others),
			stopGroups(
				untracked.map((u) => u.pgid),
				this.tuning.settleMs,
				UNTRACKED_GRACE_MS,
			),
		]);
		return drained + untracked.length;
	}

	/** The app's instances not of `keep` and not draining yet, as they are at this moment. */
	othersThan(app: string, keep: string | null): Instance[] {
		return (this.apps.get(app)?.instances ?? []).filter((i) => i.record.deploymentId !== keep && i.record.status !== "draining");
	}

	/** Marks instances draining now; resolves once the last one is stopped (settle, SIGTERM, SIGKILL after drainSeconds). */
	async drain(app: string, instances: Instance[]): Promise<number> {
		// Nothing to drain writes nothing: a reconcile of an app that never went live leaves its folder as it was.
		if (instances.length === 0) return 0;
		const entry = await this.load(app);
		for (const instance of instances) {
			instance.record.status = "draining";
			instance.stopping = true;
			this.emit(instance, "draining");
		}
		await this.persistInBackground(app, entry);
		// A process that is gone (one boot recovery replaced) has no requests to finish: no settle.
		await Promise.all(instances.map((instance) => this.stopAndForget(instance, running(instance) ? this.tuning.settleMs : 0)));
		return instances.length;
	}

	/** Stops the instances of a deployment that failed; the live one is not touched. */
	async discard(app: string, deploymentId: string): Promise<void> {
		const entry = await this.load(app);
		if (entry.state.live === deploymentId) return;
		const doomed = entry.instances.filter((i) => i.record.deploymentId === deploymentId && !i.stopping);
		await Promise.all(doomed.map((instance) => this.stopAndForget(instance, 0, 2_000)));
		await entry.writing;
	}

	/** Stops instances that were started but never admitted (a failed scale). */
	async discardInstances(app: string, instances: Instance[]): Promise<void> {
		await Promise.all(instances.map((instance) => this.stopAndForget(instance, 0, 2_000)));
		await (await this.load(app)).writing;
	}

	/** Deployments whose instances run (or are kept for restart): their release folders must stay. */
	deploymentsInUse(app: string): Set<string> {
		const entry = this.apps.get(app);
		const ids = new Set((entry?.instances ?? []).map((i) => i.record.deploymentId));
		if (entry?.state.live) ids.add(entry.state.live);
		return ids;
	}

	live(app: string): string | null {
		return this.apps.get(app)?.state.live ?? null;
	}

	/** The live release's instances that serve or will again (not draining). */
	liveInstances(app: string): Instance[] {
		const entry = this.apps.get(app);
		if (!entry?.state.live) return [];
		return entry.instances.filter((i) => i.record.deploymentId === entry.state.live && i.record.status !== "draining" && i.record.status !== "starting");
	}

	appNames(): string[] {
		return [...this.apps.keys()];
	}

	instancesOf(app: string): Instance[] {
		return [...(this.apps.get(app)?.instances ?? [])];
	}

	/** What `ps` and events call the instance's state; backoff is a pending restart. */
	statusOf(instance: Instance): InstanceStatus {
		if (instance.record.status === "running" && instance.timer) return "backoff";
		return instance.record.status;
	}

	stopWatching(): void {
		for (const timer of this.timers) clearInterval(timer);
		for (const entry of this.apps.values()) for (const i of entry.instances) if (i.timer) clearTimeout(i.timer);
	}

	private supervise(instance: Instance): void {
		instance.record.status = "running";
		this.emit(instance, "running");
		if (!running(instance)) this.crashed(instance);
	}

	private exited(instance: Instance): void {
		if (instance.stopping || instance.record.status !== "running") return;
		this.log(`${label(instance)} ${describeExit(instance.exit ?? { code: null, signal: null })}`);
		this.crashed(instance);
	}

	/** `startFailure`: why the last (re)start failed before any process ran (issue 13: ps and events say it, not "is gone"). */
	private crashed(instance: Instance, startFailure?: string): void {
		const how = startFailure ?? (instance.exit ? describeExit(instance.exit) : "is gone");
		// A start that failed ran for no time: it counts toward the crash loop, however long the run before it lasted.
		const ranMs = !startFailure && instance.startedAt > 0 ? Date.now() - instance.startedAt : 0;
		const decision = decideAfterCrash(instance.crashes, ranMs, this.policy);
		instance.crashes = decision.crashes;
		const entry = this.apps.get(instance.app);
		if (decision.action === "give-up") {
			instance.record.status = "crashed";
			instance.record.message = `${how}; ${decision.crashes} crashes in a row within ${this.policy.stableMs / 1000} s: gave up restarting`;
			this.log(`${label(instance)} ${instance.record.message}`);
			this.emit(instance, "crashed", instance.record.message);
			if (entry) void this.persistInBackground(instance.app, entry);
			return;
		}
		instance.record.message = `${how}; restart ${decision.crashes} in ${decision.delayMs} ms`;
		instance.timer = setTimeout(() => {
			instance.timer = null;
			if (instance.stopping) return;
			try {
				this.launch(instance);
			} catch (error) {
				this.log(`cannot restart ${label(instance)}: ${(error as Error).message}`);
				return this.crashed(instance, cannotStart(error));
			}
			instance.record.restarts += 1;
			this.emit(instance, "running", `restarted (${instance.record.restarts})`);
			if (entry) void this.persistInBackground(instance.app, entry);
		}, decision.delayMs);
		instance.timer.unref();
		this.emit(instance, "backoff", instance.record.message);
		if (entry) void this.persistInBackground(instance.app, entry);
	}

	/**
	 * An instance of the live release that was not running when the daemon started: the
	 * server rebooted (issue 12), or it died while no daemon watched. It starts again at
	 * once on its own port, which its route still names; a reboot is no crash, so no
	 * backoff and no count. Crash-looped instances (status crashed) stay as they were.
	 */
	private relaunchGone(instance: Instance): void {
		this.log(`${label(instance)} was not running when the agent started; starting it again`);
		try {
			this.launch(instance);
		} catch (error) {
			this.log(`cannot start ${label(instance)}: ${(error as Error).message}`);
			this.crashed(instance, cannotStart(error));
			return;
		}
		this.emit(instance, "running", "started again: it was not running when the agent started (a reboot?)");
	}

	/** Adopted instances have no child handle: notice their end by looking. */
	private poll(): void {
		for (const entry of this.apps.values()) {
			for (const instance of entry.instances) {
				if (instance.child || instance.timer || instance.stopping || instance.record.status !== "running" || this.gone.has(instance)) continue;
				if (!running(instance)) {
					this.log(`${label(instance)} is gone; restarting it`);
					this.crashed(instance);
				}
			}
		}
	}

	private async rotateLogs(): Promise<void> {
		for (const app of this.apps.keys()) {
			await rotateIfLarge(this.logFile(app), this.tuning.logMaxBytes, this.tuning.logKeep).catch((error) => this.log(`cannot rotate the log of ${app}: ${(error as Error).message}`));
		}
	}

	private async stopAndForget(instance: Instance, settleMs: number, graceMs = instance.record.drainSeconds * 1000): Promise<void> {
		this.gone.delete(instance);
		await stopInstance(instance, settleMs, graceMs);
		const entry = this.apps.get(instance.app);
		if (!entry) return;
		entry.instances = entry.instances.filter((i) => i !== instance);
		entry.state.instances = entry.state.instances.filter((r) => r !== instance.record);
		this.emit(instance, "stopped");
		await this.persistInBackground(instance.app, entry);
	}

	private emit(instance: Instance, status: InstanceStatus, message?: string): void {
		const { record } = instance;
		const event: InstanceEvent = { type: "instance", app: instance.app, process: record.process, port: record.port, pid: record.pid || null, status, restarts: record.restarts, ...(message ? { message } : {}) };
		for (const listener of this.listeners) listener(event);
	}

	private track(app: string, record: InstanceRecord): Instance {
		const entry = this.apps.get(app) ?? this.entry(app, emptyState());
		const instance: Instance = { app, record, child: null, exit: null, crashes: 0, startedAt: 0, stopping: false, timer: null };
		if (!entry.state.instances.includes(record)) entry.state.instances.push(record);
		entry.instances.push(instance);
		return instance;
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

	private launch(instance: Instance): void {
		const { node } = instance.record;
		launch(instance, this.logFile(instance.app), node ? this.nodeBin(node) : undefined, (i) => this.exited(i));
	}

	private logFile(app: string): string {
		return appPaths(this.home, app).appLog;
	}

	/**
	 * Writes are chained per app; each writes the state as it is when its turn comes.
	 * The returned write rejects when it fails, so a commit point (start, commitLive,
	 * admit) fails its command instead of "succeeding" unwritten; the chain goes on.
	 */
	private persist(app: string, entry: AppEntry): Promise<void> {
		const write = entry.writing.then(() => writeAppState(appPaths(this.home, app).state, entry.state));
		entry.writing = write.catch((error) => this.log(`cannot write state of ${app}: ${(error as Error).message}`));
		return write;
	}

	/** For bookkeeping no command waits on (a crash, a restart, a drain): a failed write is logged by persist, and the next write retries it. */
	private persistInBackground(app: string, entry: AppEntry): Promise<void> {
		return this.persist(app, entry).catch(() => undefined);
	}
}

/** Why a start failed, with what to do when the error says (a missing secrets key: which file, and how to recover). */
function cannotStart(error: unknown): string {
	const hint = error instanceof DeployError && error.hint ? ` ${error.hint}` : "";
	return `cannot start: ${(error as Error).message}${hint}`;
}

function label(instance: Instance): string {
	return `${instance.app}/${instance.record.process}:${instance.record.port}`;
}
