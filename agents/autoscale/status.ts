import type { InstanceInfo } from "../../core/protocol/index.js";
import type { ProcessScaling, ScalingDecision } from "../../core/protocol/scaling.js";
import { currentEnforcement } from "../limits/probe.js";
import { readDecisions } from "./decision-log.js";
import { type AutoscaleContext, Autoscaler, runningAutoscaler } from "./loop.js";

/** Decisions read per app to find each process's last one. */
const LOOKBACK = 200;

/** Every process of the live release(s): its autoscale policy, limits, how they are enforced, its last recorded decision. */
export async function processScalings(agent: AutoscaleContext, app?: string): Promise<ProcessScaling[]> {
	const watched = await (runningAutoscaler() ?? new Autoscaler(agent)).watched(app);
	const lastByApp = new Map<string, ScalingDecision[]>();
	const result: ProcessScaling[] = [];
	for (const w of watched) {
		if (!lastByApp.has(w.app)) lastByApp.set(w.app, await readDecisions(agent.home, w.app, LOOKBACK));
		const last = lastByApp.get(w.app)!.findLast((d) => d.process === w.process) ?? null;
		const enforcement = currentEnforcement();
		result.push({
			app: w.app,
			process: w.process,
			instances: agent.supervisor.liveInstances(w.app).filter((i) => i.record.process === w.process).length,
			autoscale: w.autoscale,
			limits: w.limits,
			enforcement: w.limits ? { mode: enforcement.mode, reason: enforcement.reason } : null,
			last,
		});
	}
	return result;
}

/** `ps` rows with their process's scaling attached (issue 7), so `deploy ps --json` says why the count is what it is. */
export async function withScaling(agent: AutoscaleContext, rows: InstanceInfo[], app?: string): Promise<InstanceInfo[]> {
	const scalings = await processScalings(agent, app);
	return rows.map((row) => {
		const scaling = scalings.find((s) => s.app === row.app && s.process === row.process && row.deploymentId === agent.supervisor.live(row.app));
		return scaling ? { ...row, scaling } : row;
	});
}
