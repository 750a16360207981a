import type { HasLocks } from "../context/parts.js";
import { appPaths } from "../home.js";
import type { Instance } from "../processes/instance.js";
import { type GoLiveContext, goLive } from "./go-live.js";
import { planRecovery } from "./go-live-plan.js";
import { reconcileRoutes } from "./reconcile.js";
import { readReleaseSpec } from "./release-spec.js";
import { siteRoot } from "./switch.js";

/**
 * Boot recovery, once the proxy runs (issue 15, item 1). The live release's instances
 * that were gone when the daemon started (a reboot, or they died while no daemon
 * watched) are replaced through the one go-live: as many start on fresh ports (another
 * service may hold the old ones by now), the web ones are health-checked, the route
 * switches to them and the gone ones leave it. Instances that kept running were
 * adopted as they are: adoption starts nothing and is no go-live. Then every route is
 * made to agree with state.json and the strays drain (reconcile.ts).
 *
 * Where the go-live cannot run (a release spec an older agent did not keep, a start
 * that fails its health check), the gone instances start again on their own ports, as
 * they did before boot recovery went live this way, and the crash policy takes over.
 */
export async function recoverAtBoot(agent: GoLiveContext & HasLocks): Promise<void> {
	for (const app of agent.supervisor.appNames()) {
		const gone = agent.supervisor.goneAtStart(app);
		if (gone.length === 0) continue;
		await replaceGone(agent, app, gone).catch((error) => {
			agent.log(`${app}: cannot replace its instances that were gone at start (${(error as Error).message}); starting them again on their own ports`);
			agent.supervisor.relaunchGoneAtStart(app);
		});
	}
	await reconcileRoutes(agent);
}

async function replaceGone(agent: GoLiveContext & HasLocks, app: string, gone: Instance[]): Promise<void> {
	const live = agent.supervisor.live(app)!;
	const release = await readReleaseSpec(agent.home, app, live);
	if (!release) throw new Error(`no release spec of ${live} is kept (an older agent deployed it)`);
	const plan = planRecovery(
		release.processes,
		gone.map((i) => ({ process: i.record.process, port: i.record.port })),
	);
	agent.log(`${app}: ${gone.length} instance(s) of ${live} were not running when the agent started (a reboot?); starting new ones on fresh ports`);
	// Under the app's lock: the autoscaler and the preview sweeper start with the daemon and take it too.
	const signal = new AbortController().signal;
	await agent.locks.run(app, { operation: "recover", deploymentId: live }, { wait: true, signal, onWait: () => undefined }, () =>
		goLive(agent, { app, deploymentId: live, releaseDir: appPaths(agent.home, app).release(live), spec: release.spec, processes: release.processes, site: siteRoot(agent, app, live, release.static) }, () => plan, {
			signal,
			emit: () => undefined,
			steps: null,
			// The gone instances run nothing: they leave state.json at once, before commands are let in.
			onLive: async (drained) => void (await drained),
		}),
	);
}
