import { readFileSync } from "node:fs";
import { availableParallelism, freemem, totalmem } from "node:os";
import type { AutoscaleSpec, LimitsSpec, ScalingDecision } from "../../core/protocol/scaling.js";
import { formatSize } from "../../core/protocol/size.js";
import type { HasLocks } from "../context/parts.js";
import type { GoLiveContext } from "../deploy/go-live.js";
import { type ReleaseSpec, readReleaseSpec } from "../deploy/release-spec.js";
import { runScale } from "../deploy/scale.js";
import { currentEnforcement } from "../limits/probe.js";
import { overMemoryLimit } from "../limits/watch.js";
import type { Instance } from "../processes/instance.js";
import { killGroup } from "../processes/proc.js";
import { CpuSampler, readProcSample, systemUptimeSeconds } from "../processes/usage.js";
import { parseMeminfo } from "../status/machine.js";
import { capacityOf, type Decision, decide, type ProcessSample } from "./decide.js";
import { appendDecision, readDecisions } from "./decision-log.js";
import { publishScalingDecision } from "./events.js";
import { type InstanceReading, processSample, sampleIntervalMs } from "./sample.js";

/** The scale path's own bound (core/protocol/methods.ts `scale`). */
const HARD_MAX = 100;
const TICK_MS = 1_000;
/** A capped or cooldown decision repeats each tick while the load lasts: record it again only this often. */
const REPEAT_RECORD_MS = 60_000;
/** Samples the watcher needs over the memory limit in a row before it restarts an instance. */
const OVER_LIMIT_SAMPLES = 2;

interface ProcessState {
	samples: ProcessSample[];
	nextSampleAtMs: number;
	lastUpAtMs: number | null;
	lastScaleAtMs: number | null;
	lastRecorded: ScalingDecision | null;
	/** Whether the cooldowns were read back from the decision log (after an agent restart). */
	seeded: boolean;
	/** The release the samples are of: a deploy or rollback starts a new window. */
	release: string;
}

/** What the autoscaler knows of one process of a live release. */
export interface WatchedProcess {
	app: string;
	process: string;
	/** The live release the policy comes from. */
	release: string;
	autoscale: AutoscaleSpec | null;
	limits: LimitsSpec | null;
}

/** What the autoscaler uses: what a scale goes live with, and the deploy lock it takes. */
export type AutoscaleContext = GoLiveContext & HasLocks;

/**
 * The agent's sampling loop: every second it looks at the processes that are due,
 * reads their instances' CPU and memory from /proc, restarts instances over their
 * memory limit where the kernel does not enforce it (watch-only), and feeds the
 * autoscaler's pure `decide`, whose scale decisions go through the same path as
 * `deploy scale` (under the app's lock; a deploy in progress wins and the tick passes).
 */
export class Autoscaler {
	private readonly states = new Map<string, ProcessState>();
	private readonly overLimit = new Map<Instance, number>();
	private readonly cpu = new CpuSampler();
	private readonly releases = new Map<string, { id: string; spec: ReleaseSpec | null }>();
	private timer: NodeJS.Timeout | null = null;
	private ticking = false;

	constructor(private readonly agent: AutoscaleContext) {}

	start(): void {
		this.timer = setInterval(() => void this.tick(), TICK_MS);
		this.timer.unref();
	}

	stop(): void {
		if (this.timer) clearInterval(this.timer);
		this.timer = null;
	}

	/** The last recorded decision of a process (for `ps`), from memory; null before the first. */
	lastDecision(app: string, process: string): ScalingDecision | null {
		return this.states.get(`${app}/${process}`)?.lastRecorded ?? null;
	}

	/** The processes of every live release with their policy and limits. */
	async watched(app?: string): Promise<WatchedProcess[]> {
		const result: WatchedProcess[] = [];
		for (const name of app ? [app] : this.agent.supervisor.appNames().sort()) {
			const live = this.agent.supervisor.live(name);
			if (!live) continue;
			// A release's spec never changes: read once per live release, not every second.
			const cached = this.releases.get(name);
			const release = cached?.id === live ? cached.spec : await readReleaseSpec(this.agent.home, name, live).catch(() => null);
			this.releases.set(name, { id: live, spec: release });
			if (!release) continue;
			for (const plan of release.processes) {
				const spec = release.spec.processes[plan.name];
				result.push({ app: name, process: plan.name, release: live, autoscale: spec?.autoscale ?? null, limits: plan.limits ?? spec?.limits ?? null });
			}
		}
		return result;
	}

	private async tick(): Promise<void> {
		if (this.ticking) return;
		this.ticking = true;
		try {
			const now = Date.now();
			for (const watched of await this.watched()) {
				if (!watched.autoscale && !watched.limits?.memoryBytes) continue;
				const state = this.stateOf(watched);
				if (now < state.nextSampleAtMs) continue;
				state.nextSampleAtMs = now + sampleIntervalMs(watched.autoscale?.windowSeconds ?? 10);
				await this.look(watched, state, now);
			}
		} catch (error) {
			this.agent.log(`autoscaler: ${(error as Error).message}`);
		} finally {
			this.ticking = false;
		}
	}

	private async look(watched: WatchedProcess, state: ProcessState, now: number): Promise<void> {
		const instances = this.agent.supervisor.liveInstances(watched.app).filter((i) => i.record.process === watched.process && this.agent.supervisor.statusOf(i) === "running");
		const uptime = systemUptimeSeconds();
		const readings: InstanceReading[] = [];
		for (const instance of instances) {
			const sample = instance.record.pid > 0 ? readProcSample(instance.record.pid) : null;
			if (!sample || sample.rssBytes === null) continue;
			readings.push({ cpuPercent: this.cpu.sample(instance.record.pid, sample, uptime, now) ?? 0, rssBytes: sample.rssBytes });
			await this.watchMemory(watched, instance, sample.rssBytes, instances.length);
		}
		if (!watched.autoscale) return;
		if (!state.seeded) await this.seedCooldowns(watched, state);
		const machine = { totalBytes: totalmem(), cpus: availableParallelism() };
		const sample = processSample(readings, watched.limits ?? undefined, machine, now);
		if (sample) state.samples.push(sample);
		state.samples = state.samples.filter((s) => s.atMs > now - watched.autoscale!.windowSeconds * 1000);
		const meanRss = readings.length > 0 ? readings.reduce((sum, r) => sum + r.rssBytes, 0) / readings.length : 0;
		const decision = decide({
			nowMs: now,
			policy: watched.autoscale,
			current: instances.length,
			samples: state.samples,
			lastUpAtMs: state.lastUpAtMs,
			lastScaleAtMs: state.lastScaleAtMs,
			capacity: capacityOf({ cpus: machine.cpus, cpuLimit: watched.limits?.cpu, availableBytes: availableMemory(), perInstanceBytes: watched.limits?.memoryBytes ?? meanRss, current: instances.length, hardMax: HARD_MAX }),
		});
		if (decision.kind === "steady" || decision.kind === "warming-up") return;
		if (decision.kind !== "scale") return this.record(watched, state, { ...decision, kind: decision.kind }, now);
		await this.scale(watched, state, decision, now);
	}

	private async scale(watched: WatchedProcess, state: ProcessState, decision: Decision, now: number): Promise<void> {
		const signal = AbortSignal.timeout(10 * 60_000);
		try {
			await this.agent.locks.run(watched.app, { operation: "scale", deploymentId: null }, { wait: false, signal, onWait: () => undefined }, () =>
				runScale(this.agent, watched.app, { [watched.process]: decision.to }, signal, () => undefined),
			);
		} catch (error) {
			const code = (error as { code?: string }).code;
			// Another deploy, rollback or scale holds the app: the next tick decides again on fresh samples.
			if (code === "DEPLOY_IN_PROGRESS") return;
			// A failed try counts as a scale for the cooldowns: no retry every second of a start that keeps failing.
			state.lastScaleAtMs = now;
			if (decision.action === "up") state.lastUpAtMs = now;
			state.samples = [];
			await this.record(watched, state, { ...decision, kind: "failed", reason: `${decision.reason}; but the scale failed: ${(error as Error).message}` }, now);
			return;
		}
		state.lastScaleAtMs = now;
		if (decision.action === "up") state.lastUpAtMs = now;
		// The window restarts with the new count: samples of the old one would decide again.
		state.samples = [];
		await this.record(watched, state, { ...decision, kind: "scale" }, now);
	}

	/** A restarted agent keeps the cooldowns: the last scales of the process are in its decision log. */
	private async seedCooldowns(watched: WatchedProcess, state: ProcessState): Promise<void> {
		state.seeded = true;
		const decisions = (await readDecisions(this.agent.home, watched.app, 200)).filter((d) => d.process === watched.process);
		const at = (d: ScalingDecision | undefined) => (d ? Date.parse(d.at) : null);
		const scaled = (d: ScalingDecision) => d.kind === "scale" || d.kind === "failed";
		state.lastScaleAtMs ??= at(decisions.findLast(scaled));
		state.lastUpAtMs ??= at(decisions.findLast((d) => scaled(d) && d.action === "up"));
		state.lastRecorded ??= decisions.at(-1) ?? null;
	}

	/** Watch-only enforcement: an instance over its memory limit for two samples in a row is killed; the supervisor restarts it. */
	private async watchMemory(watched: WatchedProcess, instance: Instance, rssBytes: number, _count: number): Promise<void> {
		const limit = watched.limits?.memoryBytes;
		if (limit === undefined || currentEnforcement().mode !== "watch") return;
		if (!overMemoryLimit(rssBytes, limit)) {
			this.overLimit.delete(instance);
			return;
		}
		const times = (this.overLimit.get(instance) ?? 0) + 1;
		this.overLimit.set(instance, times);
		if (times < OVER_LIMIT_SAMPLES) return;
		this.overLimit.delete(instance);
		const reason = `instance on port ${instance.record.port} (pid ${instance.record.pid}) used ${formatSize(rssBytes)}, over its memory limit of ${formatSize(limit)}: killed and restarted (watch-only enforcement)`;
		this.agent.log(`${watched.app}/${watched.process}: ${reason}`);
		killGroup(instance.record.pid, "SIGKILL");
		const state = this.stateOf(watched);
		const count = this.agent.supervisor.liveInstances(watched.app).filter((i) => i.record.process === watched.process).length;
		await this.record(watched, state, { kind: "limit", action: "restart", from: count, to: count, reason }, Date.now(), true);
	}

	private async record(watched: WatchedProcess, state: ProcessState, decision: Omit<ScalingDecision, "at" | "app" | "process">, now: number, always = false): Promise<void> {
		const last = state.lastRecorded;
		const repeat = last && last.kind === decision.kind && last.action === decision.action && last.to === decision.to && now - Date.parse(last.at) < REPEAT_RECORD_MS;
		if (repeat && !always && decision.kind !== "scale") return;
		const entry: ScalingDecision = {
			at: new Date(now).toISOString(),
			app: watched.app,
			process: watched.process,
			kind: decision.kind,
			action: decision.action,
			from: decision.from,
			to: decision.to,
			reason: decision.reason,
			...(decision.cpuPercent !== undefined ? { cpuPercent: decision.cpuPercent } : {}),
			...(decision.memoryPercent !== undefined ? { memoryPercent: decision.memoryPercent } : {}),
		};
		state.lastRecorded = entry;
		this.agent.log(`autoscale ${entry.app}/${entry.process}: ${entry.kind} ${entry.action} ${entry.from}->${entry.to}: ${entry.reason}`);
		publishScalingDecision(entry);
		await appendDecision(this.agent.home, entry).catch((error) => this.agent.log(`cannot record a scaling decision of ${entry.app}: ${(error as Error).message}`));
	}

	private stateOf(watched: WatchedProcess): ProcessState {
		const key = `${watched.app}/${watched.process}`;
		let state = this.states.get(key);
		if (!state) {
			state = { samples: [], nextSampleAtMs: 0, lastUpAtMs: null, lastScaleAtMs: null, lastRecorded: null, seeded: false, release: watched.release };
			this.states.set(key, state);
		}
		if (state.release !== watched.release) {
			state.release = watched.release;
			state.samples = [];
		}
		return state;
	}
}

/** MemAvailable (what new processes can get), else free memory. */
function availableMemory(): number {
	try {
		return parseMeminfo(readFileSync("/proc/meminfo", "utf8"))?.availableBytes ?? freemem();
	} catch {
		return freemem();
	}
}

let autoscaler: Autoscaler | null = null;

/** Started once by the daemon after it adopted its apps. */
export function startAutoscaler(agent: AutoscaleContext): Autoscaler {
	autoscaler?.stop();
	autoscaler = new Autoscaler(agent);
	autoscaler.start();
	return autoscaler;
}

/** The daemon's autoscaler (for `ps` and `autoscale.status`); null before the daemon started it. */
export function runningAutoscaler(): Autoscaler | null {
	return autoscaler;
}
