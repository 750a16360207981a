import { DeployError, type DeployEvent } from "../../core/protocol/index.js";
import { appPaths } from "../home.js";
import { readReleaseSpec } from "./release-spec.js";
import { type GoLiveContext, goLive } from "./go-live.js";
import { planScaleTo } from "./go-live-plan.js";
import { StepReporter } from "./steps.js";
import { siteRoot } from "./switch.js";

/**
 * Sets instance counts of the live release. New instances are health-checked before
 * the route includes them; removed ones leave the route first, then drain. The counts
 * live on in state.json (its instances), so an agent restart keeps them; the next
 * deploy starts what its deploy.yaml says.
 */
export async function runScale(agent: GoLiveContext, app: string, wanted: Record<string, number>, signal: AbortSignal, emit: (event: DeployEvent) => void): Promise<Record<string, number>> {
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
	return steps.run("scale", () => {
		const serving = () => agent.supervisor.liveInstances(app).filter((i) => i.record.status !== "crashed");
		const before = serving().map((i) => ({ process: i.record.process, port: i.record.port }));
		const plan = planScaleTo(release.processes, before, wanted);
		const target = { app, deploymentId: live, releaseDir: appPaths(agent.home, app).release(live), spec: release.spec, processes: release.processes, site: siteRoot(agent, app, live, release.static) };
		return goLive(agent, target, () => plan, {
			signal,
			emit,
			// The scale step covers its start, health check and route.
			steps: null,
			onLive: async () => {
				const left = serving().filter((i) => !(plan.kind === "scale" && plan.remove.includes(i.record.port)));
				return Object.fromEntries(release.processes.map((p) => [p.name, left.filter((i) => i.record.process === p.name).length]));
			},
		});
	});
}
