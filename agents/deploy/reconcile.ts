import type { HasHome, HasLog, HasProxy, HasSetup, HasSupervisor } from "../context/parts.js";
import { readReleaseSpec } from "./release-spec.js";
import { routeFor, siteRoot } from "./switch.js";

/**
 * At daemon start, once the proxy runs: each app's route is made to agree with
 * state.json's live release (a crash between the state write and the proxy write of
 * a switch leaves them apart), and instances of releases that are no longer live
 * (the other side of such a switch) drain. Apps without a stored release spec
 * (deployed by an older agent) keep the route the proxy has.
 */
export async function reconcileRoutes(agent: HasHome & HasSupervisor & HasProxy & HasSetup & HasLog): Promise<void> {
	const driver = agent.driver;
	if (!driver) return;
	for (const app of agent.supervisor.appNames()) {
		const live = agent.supervisor.live(app);
		try {
			const release = live ? await readReleaseSpec(agent.home, app, live) : null;
			const web = agent.supervisor.liveInstances(app).filter((i) => i.record.web && i.record.status === "running");
			const site = live && release ? siteRoot(agent, app, live, release.static) : null;
			if (release && (web.length > 0 || site)) await driver.applyRoute(await routeFor(agent, release.spec, web, site));
			// The strays are those of this moment, before any command runs (commands wait for
			// agent.ready, which waits for this): a release a deploy starts later is never one.
			// The drain itself is not awaited: it takes seconds.
			void agent.supervisor.drain(app, agent.supervisor.othersThan(app, live)).then(
				(strays) => strays > 0 && agent.log(`${app}: drained ${strays} instance(s) of releases that are not live`),
				(error) => agent.log(`cannot drain old instances of ${app}: ${(error as Error).message}`),
			);
		} catch (error) {
			agent.log(`cannot reconcile the route of ${app}: ${(error as Error).message}`);
		}
	}
}
