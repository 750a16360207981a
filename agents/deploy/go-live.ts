import type { AppSpec, DeployEvent, StepName } from "../../core/protocol/index.js";
import type { HasHome, HasLog, HasProxy, HasSetup, HasSupervisor } from "../context/parts.js";
import type { Instance } from "../processes/instance.js";
import type { ProcessPlan } from "../detect/plan.js";
import type { GoLivePlan } from "./go-live-plan.js";
import { checkHealth, startProcesses } from "./start.js";
import type { StepReporter } from "./steps.js";
import { reportDrain, routeFor, type SiteRoot, switchLive } from "./switch.js";

/** What a go-live uses: the home, the instances, the proxy and its setup, the log. */
export type GoLiveContext = HasHome & HasSupervisor & HasProxy & HasSetup & HasLog;

/** The release a go-live starts instances of. */
export interface GoLiveTarget {
	app: string;
	deploymentId: string;
	releaseDir: string;
	spec: AppSpec;
	/** Its processes; a deploy plans them within the start step, so a process without a command fails that step. */
	processes: readonly ProcessPlan[] | (() => readonly ProcessPlan[]);
	/** The static folder the proxy serves itself, if it does. */
	site: SiteRoot;
}

export interface GoLiveRun<R> {
	signal: AbortSignal;
	emit: (event: DeployEvent) => void;
	/** Reports start, healthcheck and route as steps; null when the caller's own step covers them (a scale). */
	steps: StepReporter | null;
	/** Work of the start step before any instance starts, given the processes (a deploy writes its release spec there). */
	beforeStart?: (processes: readonly ProcessPlan[]) => Promise<void>;
	/**
	 * Once the route is switched: what the call answers (the live record, the new counts).
	 * Given the drain of what left the route, for a caller that must not answer before it
	 * (boot recovery: its gone instances stop at once, and `ps` then lists only what runs).
	 */
	onLive: (drained: Promise<number> | null) => Promise<R>;
}

/**
 * The one way a release, or more instances of one, goes live: start the plan's
 * instances on fresh ports, health-check the web ones, switch the route (the commit
 * point: state.json, then the proxy), and drain what no longer serves. Until the
 * switch, a failure or a cancel stops the instances this call started and leaves the
 * live release and its route as they were; after it, the change is live whatever
 * happens next. Deploy, env change, rollback and scale all come through here.
 */
export async function goLive<R>(agent: GoLiveContext, target: GoLiveTarget, planOf: (processes: readonly ProcessPlan[]) => GoLivePlan, run: GoLiveRun<R>): Promise<R> {
	const { app, deploymentId } = target;
	const { signal } = run;
	const phase = <T>(step: StepName, fn: () => Promise<T>) => (run.steps ? run.steps.run(step, fn) : fn());
	// What a failure before the switch must stop: known as soon as it is planned and started.
	const progress: { plan: GoLivePlan | null; started: Instance[]; switched: boolean } = { plan: null, started: [], switched: false };
	try {
		const { processes, plan } = await phase("start", async () => {
			const processes = typeof target.processes === "function" ? target.processes() : target.processes;
			const plan = planOf(processes);
			progress.plan = plan;
			await run.beforeStart?.(processes);
			const release = { app, deploymentId, releaseDir: target.releaseDir, env: target.spec.env };
			progress.started = await startProcesses(agent, release, processes.filter((p) => plan.start[p.name]), plan.start);
			return { processes, plan };
		});
		const { started } = progress;
		const checked = processes.find((p) => p.name === plan.check);
		if (checked) await phase("healthcheck", () => checkHealth(agent, app, started.filter((i) => i.record.process === checked.name), checked, signal));
		signal.throwIfAborted();
		// The drain stays wrapped: a step returning it bare would wait for it.
		const { drained } = await phase("route", async () => {
			const switched = plan.kind === "release" ? await switchLive(agent, target.spec, deploymentId, started, target.site) : await joinLive(agent, target, plan.remove, started);
			progress.switched = true;
			return switched;
		});
		const answer = await run.onLive(drained);
		if (drained) reportDrain(agent, app, deploymentId, drained, run.emit);
		return answer;
	} catch (error) {
		if (!progress.switched && progress.plan) await discardStarted(agent, target, progress.plan, progress.started);
		throw signal.aborted ? signal.reason : error;
	}
}

/**
 * A scale's switch: the started instances join the live release, the route goes to
 * every serving web instance but the removed ones, and those drain (no drain when
 * none is removed).
 */
async function joinLive(agent: HasHome & HasProxy & HasSetup & HasSupervisor, target: GoLiveTarget, removePorts: readonly number[], started: Instance[]): Promise<{ drained: Promise<number> | null }> {
	await agent.supervisor.admit(target.app, started);
	const serving = agent.supervisor.liveInstances(target.app).filter((i) => i.record.status !== "crashed");
	const removed = serving.filter((i) => removePorts.includes(i.record.port));
	const web = serving.filter((i) => i.record.web && !removed.includes(i));
	await agent.proxyReady;
	await agent.requireDriver().applyRoute(await routeFor(agent, target.spec, web, target.site));
	return { drained: removed.length > 0 ? agent.supervisor.drain(target.app, removed) : null };
}

/**
 * Stops what a go-live started before it switched. A new release's instances are all
 * of its deployment (those a failed start left untracked in the list too), but not
 * the draining ones of a release rolled back to; a scale's are only those it started.
 */
async function discardStarted(agent: HasSupervisor & HasLog, target: GoLiveTarget, plan: GoLivePlan, started: Instance[]): Promise<void> {
	const stopping = plan.kind === "release" ? agent.supervisor.discard(target.app, target.deploymentId) : agent.supervisor.discardInstances(target.app, started);
	await stopping.catch((error) => agent.log(`cannot stop instances of ${target.deploymentId}: ${(error as Error).message}`));
}
