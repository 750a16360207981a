import { newDeploymentId } from "../deploy/deployment-id.js";
import { runDeployment } from "../deploy/pipeline.js";
import type { Handler } from "./call.js";
import { underLock } from "./locked.js";

/** Deploys of one app take turns under the app's lock; a cancel while waiting ends the call without a record. */
export const deploy: Handler<"deploy"> = async (params, call) => {
	const id = newDeploymentId();
	// Registered before the lock: a deploy still waiting in line can be cancelled too.
	const running = call.agent.running.start(params.app.name, id, call.signal);
	const own = { ...call, signal: running.signal };
	try {
		return await underLock(own, params.app.name, { operation: "deploy", deploymentId: id }, params.wait, () => runDeployment(call.agent, id, params, running.signal, call.emit));
	} finally {
		running.done();
	}
};
