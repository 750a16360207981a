import { access, rm } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { DeployError } from "../../core/protocol/index.js";
import type { RemovalResult } from "../../core/protocol/previews.js";
import type { HasBuilders, HasHome, HasLog, HasProxy, HasSupervisor } from "../context/parts.js";
import { listApps } from "../deploy/records.js";
import { appPaths } from "../home.js";
import { removeAppUser } from "../isolation/prepare.js";
import { previewInfoOf, readPreviewFile } from "./marker.js";

/** What removing a preview touches: its route, its instances, its files and caches, the log. */
export type PreviewRemovalContext = HasHome & HasSupervisor & HasProxy & Pick<HasBuilders, "cache"> & HasLog;

/** The app a deployment id belongs to on this server; null when none recorded it. */
export async function appOfDeployment(agent: HasHome, id: string): Promise<string | null> {
	for (const app of await listApps(agent.home)) {
		const found = await access(appPaths(agent.home, app).record(id)).then(
			() => true,
			() => false,
		);
		if (found) return app;
	}
	return null;
}

/**
 * What `deploy rm <id>` does, under the app's lock. The live release of a preview (or
 * any deployment of a preview with none live) takes the whole preview with it. The
 * live release of a production app is refused before anything changes: the app would
 * go offline. Any other release loses its files (it can no longer be rolled back to).
 */
export async function removeDeployment(agent: PreviewRemovalContext, app: string, id: string): Promise<RemovalResult> {
	const note = await readPreviewFile(agent.home, app);
	const live = agent.supervisor.live(app);
	if (note && (live === id || live === null)) {
		const stopped = await removeApp(agent, app);
		agent.log(`preview ${app} (${note.of}, branch ${note.branch}) removed on request: ${stopped} instance(s) stopped`);
		return { app, deployment: id, removed: "preview", stopped, preview: previewInfoOf(note) };
	}
	if (live === id) {
		throw new DeployError(
			"DEPLOYMENT_LIVE",
			`${id} is the live release of ${app}: removing it would take the app offline. Nothing was changed.`,
			`To stop serving it, roll back to another release first (\`deploy rollback --app ${app}\`), then remove this one.`,
		);
	}
	if (agent.supervisor.deploymentsInUse(app).has(id)) {
		throw new DeployError("DEPLOYMENT_IN_USE", `${id} of ${app} still has running instances (they are draining).`, "Wait a few seconds and run it again.");
	}
	const paths = appPaths(agent.home, app);
	for (const path of [paths.releaseSpec(id), paths.releaseManifest(id), paths.record(id), paths.deployLog(id)]) await rm(path, { force: true });
	await rm(paths.release(id), { recursive: true, force: true });
	return { app, deployment: id, removed: "release", stopped: 0 };
}

/** How long a removal waits for instances that drain on their own (a deploy's old ones). */
const DRAIN_WAIT_MS = 10 * 60 * 1000;

/**
 * Takes an app off this server entirely: its route first (no request reaches it from
 * then on), then its instances (SIGTERM, SIGKILL after their drain time), its caches,
 * its folder and its user. Returns the number of instances stopped.
 */
export async function removeApp(agent: PreviewRemovalContext, app: string): Promise<number> {
	const before = agent.supervisor.instancesOf(app).length;
	await agent.proxyReady;
	await agent.requireDriver().removeRoute(app);
	await agent.supervisor.commitLive(app, null);
	await agent.supervisor.drainOthers(app, null);
	// Instances a deploy left draining stop on their own time; the folder goes after them.
	const deadline = Date.now() + DRAIN_WAIT_MS;
	while (agent.supervisor.instancesOf(app).length > 0 && Date.now() < deadline) await sleep(100);
	// Flushes the supervisor's chained state writes, so none lands after the folder is gone.
	await agent.supervisor.commitLive(app, null);
	await agent.cache.clear(app);
	await rm(appPaths(agent.home, app).dir, { recursive: true, force: true });
	// Issue 13: its user goes with it (a preview per branch would otherwise leave one each).
	await removeAppUser(app).catch((error) => agent.log(`cannot remove the user of ${app}: ${(error as Error).message}`));
	return before;
}
