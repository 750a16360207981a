import type { ApiContext } from "../api/context.js";
import type { RemoveDeploymentInput, RemoveDeploymentResult } from "../api/previews.js";
import type { StreamOptions } from "../api/types.js";
import { resolveTarget, withStore } from "./target.js";

/**
 * `deploy rm <deployment>`: the agent finds the deployment's app and removes a preview
 * whole (instances, route, files), or one kept release's files; it refuses the live
 * release of a production app (DEPLOYMENT_LIVE) and changes nothing then. The server
 * is the one a read command picks: --server, deploy.yaml's, the app's, or the only one.
 */
export async function removeDeployment(context: ApiContext, input: RemoveDeploymentInput, options: StreamOptions = {}): Promise<RemoveDeploymentResult> {
	const { id, wait, ...where } = input;
	const target = await withStore((store) => resolveTarget(context, store, where, options));
	const session = await target.open();
	try {
		const callOptions = { ...(options.onEvent ? { onEvent: options.onEvent } : {}), ...(options.signal ? { signal: options.signal } : {}) };
		const result = await session.rpc.call("deployments.remove", { id, wait: wait ?? true }, callOptions);
		return { ...result, server: target.server };
	} finally {
		await session.close();
	}
}
