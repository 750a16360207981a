import { DeployError, type DeployEvent } from "../../core/protocol/index.js";
import type { Agent } from "../daemon/agent.js";
import { appPaths } from "../home.js";
import type { Instance } from "../processes/instance.js";
import { readReleaseSpec } from "./release-spec.js";
import { checkHealth, startProcesses } from "./start.js";
import { StepReporter } from "./steps.js";
import { reportDrain, routeFor, siteRoot } from "./switch.js";

/** How many instances to add and remove per process. Pure: tested by equality. */
export function planScale(current: Record<string, number>, wanted: Record<string, number>): { add: Record<string, number>; remove: Record<string, number> } {
	const add: Record<string, number> = {};
	const remove: Record<string, number> = {};
	for (const [name, count] of Object.entries(wanted)) {
		const now = current[name] ?? 0;
		if (count > now) add[name] = count - now;
		if (count < now) remove[name] = now - count;
	}
	return { add, remove };
}

/**
 * Sets instance counts of the live release. New instances are health-checked before
 * the route includes them; removed ones leave the route first, then drain. The counts
 * live on in state.json (its instances), so an agent restart keeps them; the next
 * deploy starts what its deploy.yaml says.
 */
export async function runScale(agent: Agent, app: string, wanted: Record<string, number>, signal: AbortSignal, emit: (event: DeployEvent) => void): Promise<Record<string, number>> {
	agent.requireDriver();
	const live = agent.supervisor.live(app);
	const release = live ? await readReleaseSpec(agent.home, app, live) : null;
	if (!live || !release) throw new DeployError("NOT_DEPLOYED", `${app} has no live release to scale.`, "Deploy it first.");
	// Issue 14: a static site's web process is the proxy itself; instances of ours would sit idle.
	const webPlan = release.processes.find((p) => p.web);
	if (webPlan && webPlan.name in wanted && siteRoot(agent, app, live, release.static)) {
		throw new DeployError(
			"STATIC_SITE",
			`${app} is a static site: ${agent.requireDriver().kind} serves its files itself, so its ${webPlan.name} process has no instances to scale.`,
			`Nothing to do: the proxy answers every request of it (\`deploy ps\` shows its count). To run a server of your own instead, set processes.${webPlan.name}.command (and no \`static\`) in deploy.yaml and deploy.`,
		);
	}
	for (const [name, count] of Object.entries(wanted)) {
		const plan = release.processes.find((p) => p.name === name);
		if (!plan) throw new DeployError("UNKNOWN_PROCESS", `${app} has no process named ${name}.`, `Its processes: ${release.processes.map((p) => p.name).join(", ")}.`);
		if (plan.web && count < 1) throw new DeployError("INVALID_SCALE", "The web process needs at least one instance.", `Use \`deploy scale web=1\` at least; stop the app with \`deploy rm\`.`);
	}
	const steps = new StepReporter(emit);
	return steps.run("scale", async () => {
		const serving = agent.supervisor.liveInstances(app).filter((i) => i.record.status !== "crashed");
		const counts = (list: Instance[]) => Object.fromEntries(release.processes.map((p) => [p.name, list.filter((i) => i.record.process === p.name).length]));
		const { add, remove } = planScale(counts(serving), wanted);
		const releaseDir = appPaths(agent.home, app).release(live);
		const plans = release.processes.filter((p) => add[p.name]);
		const started = await startProcesses(agent, { app, deploymentId: live, releaseDir, env: release.spec.env }, plans, add);
		try {
			for (const plan of plans.filter((p) => p.web)) await checkHealth(agent, app, started.filter((i) => i.record.web), plan, signal);
			signal.throwIfAborted();
		} catch (error) {
			await agent.supervisor.discardInstances(app, started);
			throw signal.aborted ? signal.reason : error;
		}
		await agent.supervisor.admit(app, started);
		// The newest instances go first: the oldest have proven themselves longest.
		const removed = Object.entries(remove).flatMap(([name, n]) => serving.filter((i) => i.record.process === name).slice(-n));
		const web = [...serving, ...started].filter((i) => i.record.web && !removed.includes(i));
		await agent.proxyReady;
		await agent.requireDriver().applyRoute(await routeFor(agent, release.spec, web, siteRoot(agent, app, live, release.static)));
		if (removed.length > 0) reportDrain(agent, app, live, agent.supervisor.drain(app, removed), emit);
		return counts(agent.supervisor.liveInstances(app).filter((i) => i.record.status !== "crashed" && !removed.includes(i)));
	});
}
