import { appendFile } from "node:fs/promises";
import type { AppSpec, DeployEvent } from "../../core/protocol/index.js";
import type { HasHome, HasLog, HasProxy, HasSetup, HasSupervisor } from "../context/parts.js";
import { appPaths } from "../home.js";
import type { Instance } from "../processes/instance.js";
import { appHosts } from "../domains/hosts.js";
import type { AppRoute } from "../proxy/index.js";
import { routeRulesFor } from "../proxy/rules.js";
import { routeTls } from "../proxy/tls.js";
import { checkStaticFolder } from "./release-paths.js";

/** A static site the proxy serves: its release folder and the folder in it (checked by routeFor before each use). */
export type SiteRoot = { release: string; dir: string; spa: boolean } | null;

/** The static folder of a release, when the proxy will serve it itself; null otherwise. */
export function siteRoot(agent: HasHome & HasProxy, app: string, deploymentId: string, site: { dir: string; spa: boolean } | null | undefined): SiteRoot {
	if (!site || !agent.requireDriver().servesFiles) return null;
	return { release: appPaths(agent.home, app).release(deploymentId), dir: site.dir, spa: site.spa };
}

/** The app's route: its hosts, TLS and rules, to every serving web instance (or its static folder). */
export async function routeFor(agent: HasHome & HasProxy & HasSetup, spec: AppSpec, web: Instance[], site: SiteRoot = null): Promise<AppRoute> {
	const hosts = await appHosts(agent, spec);
	// Every time, not only at deploy: a rollback or a reroute may serve a release an older agent checked less.
	const root = site ? await checkStaticFolder(site.release, site.dir) : null;
	return {
		app: spec.name,
		hosts,
		upstreams: web.map((i) => ({ host: "127.0.0.1", port: i.record.port })),
		...(site && root ? { static: { root, spa: site.spa } } : {}),
		...routeTls(agent.setup, hosts),
		...routeRulesFor(spec),
	};
}

/**
 * Makes a started, healthy release the live one. Order matters for a crash at any
 * point: state.json first (the commit point: the restarted daemon reconciles the
 * proxy with it), then the proxy, then the old instances drain. Old instances are
 * never stopped before the proxy sends everything to the new ones. A proxy that
 * refuses the route undoes the commit. Returns the drain, which runs on in the background.
 */
export async function switchLive(agent: HasHome & HasProxy & HasSetup & HasSupervisor, spec: AppSpec, deploymentId: string, started: Instance[], site: SiteRoot = null): Promise<{ drained: Promise<number> }> {
	const driver = agent.requireDriver();
	const previous = agent.supervisor.live(spec.name);
	await agent.supervisor.commitLive(spec.name, deploymentId, started);
	try {
		await agent.proxyReady;
		await driver.applyRoute(await routeFor(agent, spec, started.filter((i) => i.record.web), site));
	} catch (error) {
		await agent.supervisor.commitLive(spec.name, previous);
		throw error;
	}
	// Wrapped: an async function returning the promise itself would wait for the drain.
	return { drained: agent.supervisor.drainOthers(spec.name, deploymentId) };
}

/**
 * Tells about a drain that outlives the call: a `drain` step started before the
 * answer, and its end in the agent log and the deployment's log (the call has
 * answered by then, so no event can carry it).
 */
export function reportDrain(agent: HasHome & HasLog, app: string, deploymentId: string, drained: Promise<number>, emit: (event: DeployEvent) => void): void {
	emit({ type: "step", step: "drain", status: "started", message: "old instances finish their requests in the background" });
	const started = Date.now();
	void drained
		.then(async (count) => {
			const line = `drain: ${count} old instance(s) of ${app} stopped after ${Date.now() - started} ms`;
			agent.log(line);
			await appendFile(appPaths(agent.home, app).deployLog(deploymentId), `${line}\n`);
		})
		.catch((error) => agent.log(`drain of ${app} failed: ${(error as Error).message}`));
}
