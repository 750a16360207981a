import { newDeploymentId } from "../deploy/deployment-id.js";
import { runDeployment } from "../deploy/pipeline.js";
import type { Handler } from "./call.js";
import { underLock } from "./locked.js";

/** Deploys of one app take turns under the app's lock; a cancel while waiting ends the call without a record. */
export const deploy: Handler<"deploy"> = async (params, call) => {
	const id = newDeploymentId();
	return underLock(call, params.app.name, { operation: "deploy", deploymentId: id }, params.wait, () => runDeployment(call.agent, id, params, call.signal, call.emit));
};
