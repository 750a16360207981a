import { access } from "node:fs/promises";
import { DeployError, type DeployEvent, type DeploymentRecord } from "../../core/protocol/index.js";
import { restoreEnvOfRelease } from "../env/restore.js";
import { appPaths } from "../home.js";
import { readReleaseSpec } from "./release-spec.js";
import { readRecords, recordLive } from "./records.js";
import { pickRollbackTarget } from "./rollback-target.js";
import type { HasHome, HasSupervisor } from "../context/parts.js";
import { type GoLiveContext, goLive } from "./go-live.js";
import { planRelease } from "./go-live-plan.js";
import { StepReporter } from "./steps.js";
import { siteRoot } from "./switch.js";
import { deploymentUrls } from "./urls.js";

/**
 * Makes a kept release live again with its own files, build output, spec and env:
 * start, health check, switch, drain. No install, no build: about a second.
 */
export async function runRollback(agent: GoLiveContext, app: string, to: string | undefined, signal: AbortSignal, emit: (event: DeployEvent) => void): Promise<DeploymentRecord> {
	agent.requireDriver();
	const { id } = await resolveRollbackTarget(agent, app, to);
	const release = await readReleaseSpec(agent.home, app, id);
	if (!release) throw new DeployError("RELEASE_PRUNED", `The release of deployment ${id} has no stored spec.`, "Deploy again instead.");
	const target = { app, deploymentId: id, releaseDir: appPaths(agent.home, app).release(id), spec: release.spec, processes: release.processes, site: siteRoot(agent, app, id, release.static) };
	return goLive(agent, target, (processes) => planRelease(processes), {
		signal,
		emit,
		steps: new StepReporter(emit),
		onLive: async () => {
			const record = await recordLive(agent.home, app, id, await deploymentUrls(agent, release.spec));
			// A preview's values belong to the app it previews: only a production app's env is restored.
			if (!release.spec.preview) await restoreEnvOfRelease(agent.home, app, release.secrets).catch((error) => agent.log(`cannot restore the env of ${app}: ${(error as Error).message}`));
			return record;
		},
	});
}

/** The target record, checked before the lock is even taken so a typo fails at once. */
export async function resolveRollbackTarget(agent: HasHome & HasSupervisor, app: string, to: string | undefined): Promise<DeploymentRecord> {
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
