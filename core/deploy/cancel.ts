import type { ApiContext } from "../api/context.js";
import type { CancelInput, CancelResult, StreamOptions } from "../api/types.js";
import { DeployError } from "../protocol/index.js";
import { withAppSession } from "./target.js";

/**
 * `deploy cancel [deployment]`: the agent stops the app's running deploy (the newest,
 * or the one named), building or waiting for the lock; the live release keeps serving.
 * Nothing running is not an error, unless a deployment was named.
 */
export async function cancelDeployment(context: ApiContext, input: CancelInput, options: StreamOptions = {}): Promise<CancelResult> {
	const { id, ...target } = input;
	return withAppSession(context, target, options, async (session, app, resolved) => {
		const { cancelled } = await session.rpc.call("cancel", { app, ...(id ? { id } : {}) }, options.signal ? { signal: options.signal } : {});
		if (id && !cancelled) {
			throw new DeployError("NOT_RUNNING", `Deployment ${id} of ${app} is not running.`, "`deploy ls` shows its status: only a deploy that is building or waiting for its turn can be cancelled.");
		}
		return { app, server: resolved.server, cancelled };
	});
}
