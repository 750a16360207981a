import { newDeploymentId } from "../deploy/deployment-id.js";
import { runDeployment } from "../deploy/pipeline.js";
import { keepReleaseManifest, resolveManifest } from "../deploy/release-manifest.js";
import type { Handler } from "./call.js";
import { underLock } from "./locked.js";

/** Deploys of one app take turns under the app's lock; a cancel while waiting ends the call without a record. */
export const deploy: Handler<"deploy"> = async (params, call) => {
	const app = params.app.name;
	const manifest = await resolveManifest(call.agent, app, params);
	const id = newDeploymentId();
	// Registered before the lock: a deploy still waiting in line can be cancelled too.
	const running = call.agent.running.start(app, id, call.signal);
	const own = { ...call, signal: running.signal };
	try {
		const record = await underLock(own, app, { operation: "deploy", deploymentId: id }, params.wait, () => runDeployment(call.agent, id, { ...params, manifest }, running.signal, call.emit));
		// Also for an unchanged deploy: a release from an older agent gets its manifest now.
		if (record.status === "live") await keepReleaseManifest(call.agent, app, record.id, manifest).catch((error) => call.agent.log(`cannot keep the manifest of ${record.id}: ${(error as Error).message}`));
		return record;
	} finally {
		running.done();
	}
};
