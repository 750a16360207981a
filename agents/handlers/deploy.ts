import type { DeploymentRecord } from "../../core/protocol/index.js";
import { newDeploymentId } from "../deploy/deployment-id.js";
import { runDeployment } from "../deploy/pipeline.js";
import { type DeployRequest, resolveDeployRequest } from "../deploy/deploy-request.js";
import { keepReleaseManifest } from "../deploy/release-manifest.js";
import { deployWithPreviewNote } from "../previews/deploy-note.js";
import type { Call, Handler } from "./call.js";
import { underLock } from "./locked.js";

/** Deploys of one app take turns under the app's lock; a cancel while waiting ends the call without a record. */
export const deploy: Handler<"deploy"> = async (sent, call) => {
	// The manifest's objects are held from here until the release's manifest names them (or the deploy failed).
	const lease = call.agent.store.leases.open();
	try {
		// A redeploy may name its spec by hash and send changed files inline: the whole request first.
		const params = await resolveDeployRequest(call.agent, sent, lease);
		return await deployResolved(params, call);
	} finally {
		lease.release();
	}
};

/** Also a push's deploy (handlers/git.ts): its id is made first (a detached push prints it) and its signal is its own. */
export async function deployResolved(params: DeployRequest, call: Call, id = newDeploymentId()): Promise<DeploymentRecord> {
	const app = params.app.name;
	// Registered before the lock: a deploy still waiting in line can be cancelled too.
	const running = call.agent.running.start(app, id, call.signal);
	const own = { ...call, signal: running.signal };
	try {
		const record = await underLock(own, app, { operation: "deploy", deploymentId: id }, params.wait, () =>
			// Issue 6: a preview app notes its branch and expiry first (agents/previews/).
			deployWithPreviewNote(call.agent, params.app, (app) => runDeployment(call.agent, id, { ...params, app }, running.signal, call.emit)),
		);
		// Also for an unchanged deploy: a release from an older agent gets its manifest now.
		if (record.status === "live") await keepReleaseManifest(call.agent, app, record.id, params.manifest).catch((error) => call.agent.log(`cannot keep the manifest of ${record.id}: ${(error as Error).message}`));
		return record;
	} finally {
		running.done();
	}
}
