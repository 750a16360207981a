import { readFile } from "node:fs/promises";
import { type DeploymentRecord, deploymentRecord } from "../../core/protocol/index.js";
import type { HasHome, HasSupervisor } from "../context/parts.js";
import { appPaths } from "../home.js";
import { readReleaseSpec } from "./release-spec.js";

/**
 * The live record, marked unchanged, when a deploy would change nothing: the same
 * source manifest and spec (env, config) as the live release, whose web instances
 * all run. Reads two small files and nothing else: this is the path a no-change
 * redeploy takes, and it must answer at once.
 */
export async function unchangedLive(agent: HasHome & HasSupervisor, app: string, inputs: { manifest: string; spec: string }): Promise<DeploymentRecord | null> {
	const live = agent.supervisor.live(app);
	if (!live) return null;
	const release = await readReleaseSpec(agent.home, app, live).catch(() => null);
	if (!release?.inputs || release.inputs.manifest !== inputs.manifest || release.inputs.spec !== inputs.spec) return null;
	const instances = agent.supervisor.liveInstances(app);
	if (instances.some((i) => agent.supervisor.statusOf(i) !== "running")) return null;
	for (const plan of release.processes) {
		if (instances.filter((i) => i.record.process === plan.name).length < plan.instances) return null;
	}
	try {
		const record = deploymentRecord.parse(JSON.parse(await readFile(appPaths(agent.home, app).record(live), "utf8")));
		return record.status === "live" ? { ...record, unchanged: true } : null;
	} catch {
		return null;
	}
}
