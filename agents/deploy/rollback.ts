import { access } from "node:fs/promises";
import { DeployError, type DeployEvent, type DeploymentRecord } from "../../core/protocol/index.js";
import type { Agent } from "../daemon/agent.js";
import { restoreEnvOfRelease } from "../env/restore.js";
import { appPaths } from "../home.js";
import { readReleaseSpec } from "./release-spec.js";
import { readRecords, recordLive } from "./records.js";
import { pickRollbackTarget } from "./rollback-target.js";
import { checkHealth, startProcesses } from "./start.js";
import { StepReporter } from "./steps.js";
import { reportDrain, siteRoot, switchLive } from "./switch.js";
import { deploymentUrls } from "./urls.js";

/**
 * Makes a kept release live again with its own files, build output, spec and env:
 * start, health check, switch, drain. No install, no build: about a second.
 */
export async function runRollback(agent: Agent, app: string, to: string | undefined, signal: AbortSignal, emit: (event: DeployEvent) => void): Promise<DeploymentRecord> {
	agent.requireDriver();
	const target = await resolveRollbackTarget(agent, app, to);
	const release = await readReleaseSpec(agent.home, app, target.id);
	if (!release) throw new DeployError("RELEASE_PRUNED", `The release of deployment ${target.id} has no stored spec.`, "Deploy again instead.");
	const steps = new StepReporter(emit);
	const releaseDir = appPaths(agent.home, app).release(target.id);
	const instances = await steps.run("start", () => startProcesses(agent, { app, deploymentId: target.id, releaseDir, env: release.spec.env }, release.processes));
	try {
		const web = release.processes.find((p) => p.web)!;
		await steps.run("healthcheck", () => checkHealth(agent, app, instances.filter((i) => i.record.web), web, signal));
		signal.throwIfAborted();
		const { drained } = await steps.run("route", () => switchLive(agent, release.spec, target.id, instances, siteRoot(agent, app, target.id, release.static)));
		const record = await recordLive(agent.home, app, target.id, await deploymentUrls(agent, release.spec));
		// A preview's values belong to the app it previews: only a production app's env is restored.
		if (!release.spec.preview) await restoreEnvOfRelease(agent.home, app, release.secrets).catch((error) => agent.log(`cannot restore the env of ${app}: ${(error as Error).message}`));
		reportDrain(agent, app, target.id, drained, emit);
		return record;
	} catch (error) {
		if (agent.supervisor.live(app) !== target.id) await agent.supervisor.discardInstances(app, instances);
		throw signal.aborted ? signal.reason : error;
	}
}

/** The target record, checked before the lock is even taken so a typo fails at once. */
export async function resolveRollbackTarget(agent: Agent, app: string, to: string | undefined): Promise<DeploymentRecord> {
	const records = await readRecords(agent.home, app);
	if (records.length === 0) throw new DeployError("UNKNOWN_APP", `No app named ${app} was deployed to this server.`, "Check the app name with `deploy ls`.");
	const paths = appPaths(agent.home, app);
	const kept = new Set<string>();
	for (const record of records) {
		const exists = async (path: string) => access(path).then(() => true, () => false);
		if ((await exists(paths.release(record.id))) && (await exists(paths.releaseSpec(record.id)))) kept.add(record.id);
	}
	return pickRollbackTarget(app, records, agent.supervisor.live(app), kept, to);
}
