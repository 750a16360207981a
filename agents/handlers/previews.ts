import { DeployError } from "../../core/protocol/index.js";
import type { previewsMethods } from "../../core/protocol/previews.js";
import { appOfDeployment, removeDeployment } from "../previews/removal.js";
import type { Handler } from "./call.js";
import { underLock } from "./locked.js";

/** issue 6: the handlers of core/protocol/previews.ts. */
export const previewsHandlers: { [M in keyof typeof previewsMethods]: Handler<M> } = {
	"deployments.remove": async ({ id, wait }, call) => {
		const app = await appOfDeployment(call.agent, id);
		if (!app) throw new DeployError("DEPLOYMENT_UNKNOWN", `There is no deployment ${id} on this server.`, "See the ids with `deploy ls` (in the app's folder, or with --app).");
		return underLock(call, app, { operation: "remove", deploymentId: id }, wait, () => removeDeployment(call.agent, app, id));
	},
};
